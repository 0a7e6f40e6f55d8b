import { Controller, Get, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { Public } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { DecisionCloseService } from './decision-close.service.js';
import { PublishedBallotDto } from './dto/ballot.dto.js';
import { ChainCheckDto, LogEventDto, LogQueryDto, RegisterDto } from './dto/register.dto.js';
import { GovernanceLogService } from './governance-log.service.js';
import { RegisterService } from './register.service.js';

/** Public on purpose: democratic conventionnement is only trustworthy if anyone can read and check it. */
@ApiTags('governance')
@Public()
@Controller('api/v1/caisses/:caisseId/register')
export class RegisterController {
  constructor(
    private readonly register: RegisterService,
    private readonly log: GovernanceLogService,
    private readonly closer: DecisionCloseService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Public register: outlets conventionnés with their decisions, dates and tallies (no login)' })
  @ApiOkResponse({ type: RegisterDto })
  show(@UuidParam('caisseId') caisseId: string): Promise<RegisterDto> {
    return this.register.register(caisseId);
  }

  @Get('log')
  @ApiOperation({ summary: 'The append-only, hash-chained log of governance events (no login)' })
  @ApiOkResponse({ type: [LogEventDto] })
  events(@UuidParam('caisseId') caisseId: string, @Query() q: LogQueryDto): Promise<LogEventDto[]> {
    return this.log.list(caisseId, q.after ?? 0, q.limit ?? 200) as Promise<LogEventDto[]>;
  }

  @Get('log/verify')
  @ApiOperation({ summary: 'Recompute the hash chain: ok, or the first event where it breaks (no login)' })
  @ApiOkResponse({ type: ChainCheckDto })
  verify(@UuidParam('caisseId') caisseId: string): Promise<ChainCheckDto> {
    return this.log.verify(caisseId);
  }

  @Get('decisions/:decisionId/ballots')
  @ApiOperation({ summary: 'Secret ballots of a closed decision by receipt code, so each voter can find theirs (no login)' })
  @ApiOkResponse({ type: [PublishedBallotDto] })
  @ApiConflictResponse({ type: ProblemDto, description: 'DECISION_NOT_OPEN (not closed yet, or not a secret ballot)' })
  ballots(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string): Promise<PublishedBallotDto[]> {
    return this.closer.published(caisseId, decisionId);
  }
}
