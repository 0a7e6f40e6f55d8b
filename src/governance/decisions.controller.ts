import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { BallotsService } from './ballots.service.js';
import { DecisionCloseService } from './decision-close.service.js';
import { DecisionsService } from './decisions.service.js';
import { BallotReceiptDto, CastBallotDto } from './dto/ballot.dto.js';
import { CloseDecisionDto, CreateDecisionDto, DecisionDto, ReplyDto, RulingDto } from './dto/decision.dto.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/decisions')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly ballots: BallotsService,
    private readonly closer: DecisionCloseService,
  ) {}

  @Post()
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Put a conventionnement, renewal, suspension, revocation, reinstatement or motion to the committee' })
  @ApiCreatedResponse({ type: DecisionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'OUTLET_NOT_READY (the outlet is not where this subject applies)' })
  create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateDecisionDto): Promise<DecisionDto> {
    return this.decisions.create(caisseId, dto);
  }

  @Get()
  @Roles('admin', 'committee', 'member')
  @ApiOperation({ summary: 'Decisions, latest first (tallies once closed)' })
  @ApiOkResponse({ type: [DecisionDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<DecisionDto[]> {
    return this.decisions.list(caisseId);
  }

  @Get(':decisionId')
  @Roles('admin', 'committee', 'member')
  @ApiOperation({ summary: 'A decision with its frozen electorate (recusals shown) and, once closed, its tally' })
  @ApiOkResponse({ type: DecisionDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string): Promise<DecisionDto> {
    return this.decisions.get(caisseId, decisionId);
  }

  @Post(':decisionId/ballots')
  @Roles('committee', 'member')
  @ApiOperation({ summary: 'Vote (committee member, during the window). Open ballots may be replaced; a secret ballot returns a receipt code' })
  @ApiCreatedResponse({ type: BallotReceiptDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'NOT_IN_ELECTORATE (no mandate when it opened, or recused)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'DECISION_NOT_OPEN, ALREADY_VOTED (secret ballot)' })
  cast(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @CurrentPrincipal() principal: Principal, @Body() dto: CastBallotDto): Promise<BallotReceiptDto> {
    return this.ballots.cast(caisseId, decisionId, principal, dto);
  }

  @Post(':decisionId/close')
  @HttpCode(200)
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Close and tally (idempotent); an adopted decision on an outlet moves it in the same transaction (or records why it could not)' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'DECISION_NOT_OPEN' })
  close(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @Body() dto: CloseDecisionDto): Promise<DecisionDto> {
    return this.closer.close(caisseId, decisionId, dto);
  }

  @Post(':decisionId/reply')
  @HttpCode(200)
  @Roles('admin', 'committee')
  @ApiOperation({ summary: "Record the outlet's reply (right of reply before a suspension or revocation opens)" })
  @ApiOkResponse({ type: DecisionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'DECISION_NOT_OPEN, WRONG_METHOD' })
  reply(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @Body() dto: ReplyDto): Promise<DecisionDto> {
    return this.decisions.recordReply(caisseId, decisionId, dto.reply);
  }

  @Post(':decisionId/rulings')
  @HttpCode(200)
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Facilitator: rule an objection non-paramount, with the reason (consent)' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'DECISION_NOT_OPEN, WRONG_METHOD' })
  rule(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @Body() dto: RulingDto): Promise<DecisionDto> {
    return this.decisions.rule(caisseId, decisionId, dto);
  }
}
