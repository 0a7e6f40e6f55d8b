import { Injectable } from '@nestjs/common';
import { DecisionsService } from './decisions.service.js';
import type { DecisionDto } from './dto/decision.dto.js';

/** Facade of the governance module for the modules above it (reporting, web): read-only views of decisions. */
@Injectable()
export class GovernanceService {
  constructor(private readonly decisions: DecisionsService) {}

  /** A decision with its electorate and, once closed, its tally. */
  decision(caisseId: string, decisionId: string): Promise<DecisionDto> {
    return this.decisions.get(caisseId, decisionId);
  }

  list(caisseId: string): Promise<DecisionDto[]> {
    return this.decisions.list(caisseId);
  }
}
