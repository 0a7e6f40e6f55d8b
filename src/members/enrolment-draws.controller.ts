import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { DrawOutcomeService } from './draw-outcome.service.js';
import { CreateEnrolmentDrawDto, PromoteDto, RevealRandomnessDto } from './dto/draw-input.dto.js';
import { DrawVerificationDto, EnrolmentDrawDto, PromotionDto, PublishedDrawDto } from './dto/draw.dto.js';
import { EnrolmentDrawsService } from './enrolment-draws.service.js';

const READERS = ['admin', 'treasurer', 'committee'] as const;

@ApiTags('enrolment draws')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/enrolment-draws')
export class EnrolmentDrawsController {
  constructor(
    private readonly draws: EnrolmentDrawsService,
    private readonly outcomes: DrawOutcomeService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Freeze the applicant pool and quotas and publish their hashes, naming the future randomness (step 1 of the verifiable lottery)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: EnrolmentDrawDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'IDEMPOTENCY_CONFLICT' })
  async create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateEnrolmentDrawDto, @IdempotencyKey() key: string | undefined, @Res({ passthrough: true }) res: HttpReply): Promise<EnrolmentDrawDto> {
    const result = await this.idempotency.once(caisseId, 'enrolment-draws.create', key, dto, async () => ({ status: 201, body: await this.draws.create(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Enrolment draws of the caisse, newest first' })
  @ApiOkResponse({ type: [EnrolmentDrawDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<EnrolmentDrawDto[]> {
    return this.draws.list(caisseId);
  }

  @Get(':drawId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One draw: inputs, hashes, randomness, seed, result and counts per stratum' })
  @ApiOkResponse({ type: EnrolmentDrawDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string): Promise<EnrolmentDrawDto> {
    return this.draws.get(caisseId, drawId);
  }

  @Get(':drawId/published')
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member')
  @ApiOperation({ summary: 'The published document (pseudonyms only) that `npm run verify-draw -- file.json` reproduces' })
  @ApiOkResponse({ type: PublishedDrawDto })
  published(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string): Promise<PublishedDrawDto> {
    return this.draws.published(caisseId, drawId);
  }

  @Post(':drawId/randomness')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reveal the announced randomness: the seed is derived, the panel enrolled and the others waitlisted in draw order' })
  @ApiOkResponse({ type: EnrolmentDrawDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_DRAWN, RANDOMNESS_NOT_YET_AVAILABLE, DRAW_TAMPERED' })
  reveal(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string, @Body() dto: RevealRandomnessDto): Promise<EnrolmentDrawDto> {
    return this.outcomes.reveal(caisseId, drawId, dto);
  }

  @Post(':drawId/verify')
  @HttpCode(200)
  @Roles('admin', 'treasurer', 'committee', 'member')
  @ApiOperation({ summary: 'Re-run the draw from its stored inputs and compare with its stored result' })
  @ApiOkResponse({ type: DrawVerificationDto })
  verify(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string): Promise<DrawVerificationDto> {
    return this.draws.verify(caisseId, drawId);
  }

  @Post(':drawId/promotions')
  @Roles('admin')
  @ApiOperation({ summary: 'Enrol the next members of the waitlist, in order (optionally from one stratum)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: PromotionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'NOT_DRAWN_YET, WAITLIST_SHORT (with available), IDEMPOTENCY_CONFLICT' })
  async promote(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('drawId') drawId: string,
    @Body() dto: PromoteDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<PromotionDto> {
    const result = await this.idempotency.once(caisseId, 'enrolment-draws.promote', key, { drawId, ...dto }, async () => ({ status: 201, body: await this.outcomes.promote(caisseId, drawId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }
}
