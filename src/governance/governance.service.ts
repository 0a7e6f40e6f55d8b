import { Injectable } from '@nestjs/common';
import { DecisionsService } from './decisions.service.js';
import type { DecisionDto } from './dto/decision.dto.js';
import type { ChainCheckDto, RegisterDto } from './dto/register.dto.js';
import { GovernanceLogService } from './governance-log.service.js';
import { RegisterService } from './register.service.js';

/** Facade of the governance module for the modules above it (reporting, web): read-only views of decisions. */
@Injectable()
export class GovernanceService {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly registerService: RegisterService,
    private readonly log: GovernanceLogService,
  ) {}

  /** A decision with its electorate and, once closed, its tally. */
  decision(caisseId: string, decisionId: string): Promise<DecisionDto> {
    return this.decisions.get(caisseId, decisionId);
  }

  list(caisseId: string): Promise<DecisionDto[]> {
    return this.decisions.list(caisseId);
  }

  /** The public register: outlets conventionnés with the decisions about them, and every closed decision. */
  register(caisseId: string): Promise<RegisterDto> {
    return this.registerService.register(caisseId);
  }

  /** The governance log's hash chain recomputed: ok, or where it breaks. */
  verifyLog(caisseId: string): Promise<ChainCheckDto> {
    return this.log.verify(caisseId);
  }
}
