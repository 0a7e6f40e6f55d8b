import { todayInFrance } from '../common/dates.js';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { isIsoDate } from '../common/validation/validators.js';
import { CreateRuleVersionDto, RuleVersionDto } from './dto/rule-version.dto.js';
import { RuleVersionsService } from './rule-versions.service.js';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/rule-versions')
export class RuleVersionsController {
  constructor(
    private readonly rules: RuleVersionsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Add an immutable rule version taking effect on effectiveFrom' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: RuleVersionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'RULE_VERSION_EXISTS, IDEMPOTENCY_CONFLICT' })
  async create(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateRuleVersionDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<RuleVersionDto> {
    const result = await this.idempotency.once(caisseId, 'rule-versions.create', key, dto, async () => ({ status: 201, body: await this.rules.create(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get()
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member')
  @ApiOperation({ summary: 'Every rule version of the caisse, oldest first' })
  @ApiOkResponse({ type: [RuleVersionDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<RuleVersionDto[]> {
    return this.rules.list(caisseId);
  }

  @Get('in-force')
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member')
  @ApiOperation({ summary: 'The version in force on a date (default: today)' })
  @ApiQuery({ name: 'at', required: false, example: '2027-01-15' })
  @ApiOkResponse({ type: RuleVersionDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NO_RULES_IN_FORCE' })
  inForce(@UuidParam('caisseId') caisseId: string, @Query('at') at?: string): Promise<RuleVersionDto> {
    if (at !== undefined && !isIsoDate(at)) throw new ValidationFailed({ at: ['at must be a date written YYYY-MM-DD'] });
    return this.rules.inForceDto(caisseId, at ?? todayInFrance());
  }
}
