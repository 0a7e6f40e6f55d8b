import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { AllocationsService } from './allocations.service.js';
import { AllocationRunAcceptedDto, AllocationRunDto, AllocationRunLinePageDto, CreateAllocationRunDto, PERIOD_PATTERN, RunLinesQueryDto } from './dto/allocation-run.dto.js';

@ApiTags('allocations')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/allocation-runs')
export class AllocationsController {
  constructor(
    private readonly runs: AllocationsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "Ask for the month's allocation run (one per caisse and period; a repeat returns it, resuming a failed or cancelled one)" })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiAcceptedResponse({ type: AllocationRunAcceptedDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'PERIOD_CLOSED, IDEMPOTENCY_CONFLICT' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'QUEUE_UNAVAILABLE: the job queue (Redis) is unreachable; nothing was recorded, ask again after Retry-After' })
  async create(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateAllocationRunDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AllocationRunAcceptedDto> {
    const result = await this.idempotency.once(caisseId, 'allocations.request', key, dto, async () => {
      const run = await this.runs.request(caisseId, dto);
      return { status: 202, body: { id: run.id, status: run.status } };
    });
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get()
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Allocation runs, latest period first (at most 200)' })
  @ApiQuery({ name: 'period', required: false, example: '2026-12' })
  @ApiOkResponse({ type: [AllocationRunDto] })
  list(@UuidParam('caisseId') caisseId: string, @Query('period') period?: string): Promise<AllocationRunDto[]> {
    if (period !== undefined && !PERIOD_PATTERN.test(period)) throw new ValidationFailed({ period: ['period must be a month written YYYY-MM'] });
    return this.runs.list(caisseId, period);
  }

  @Get(':runId')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'One run: status, live progress, totals, reduction percentage, solvency figures and errors' })
  @ApiOkResponse({ type: AllocationRunDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string): Promise<AllocationRunDto> {
    return this.runs.get(caisseId, runId);
  }

  @Get(':runId/lines')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: "The run's line per member (amount, proration, household, status, entries), in member order" })
  @ApiOkResponse({ type: AllocationRunLinePageDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  lines(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Query() q: RunLinesQueryDto): Promise<AllocationRunLinePageDto> {
    return this.runs.lines(caisseId, runId, q);
  }

  @Post(':runId/cancel')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Stop a queued or running run after its current chunk (asking for the period again resumes it)' })
  @ApiOkResponse({ type: AllocationRunDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_FINISHED' })
  cancel(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string): Promise<AllocationRunDto> {
    return this.runs.cancel(caisseId, runId);
  }

  @Post(':runId/catch-up')
  @HttpCode(202)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Credit the members the contribution gate left out who have paid since (at the amount planned for them)' })
  @ApiAcceptedResponse({ type: AllocationRunDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_NOT_CATCHABLE, INSUFFICIENT_FUNDS_FOR_ALLOCATIONS' })
  catchUp(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string): Promise<AllocationRunDto> {
    return this.runs.catchUp(caisseId, runId);
  }
}
