import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import type { OutletDecision, OutletDecisions } from '../outlets/outlets.types.js';

/**
 * What the outlets lifecycle asks before a decision-bound step: does this decision exist in the caisse, was it
 * adopted, is it about this outlet. Reads in the caller's transaction, so a decision closing in the same
 * transaction is seen adopted.
 */
@Injectable()
export class DecisionVerifier implements OutletDecisions {
  constructor(private readonly txHost: TransactionHost) {}

  async find(caisseId: string, decisionId: string, outletId: string): Promise<OutletDecision | undefined> {
    const [row]: { outcome: string | null; outlet_id: string | null }[] = await this.txHost.tx.query(
      `SELECT outcome, outlet_id FROM decisions WHERE id = $1 AND caisse_id = $2`,
      [decisionId, caisseId],
    );
    return row ? { adopted: row.outcome === 'adopted', concernsOutlet: row.outlet_id === outletId } : undefined;
  }
}
