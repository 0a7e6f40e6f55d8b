import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { AllocationsService } from '../../allocations/allocations.service.js';
import type { AllocationRunDto } from '../../allocations/dto/allocation-run.dto.js';
import { LedgerService } from '../../ledger/ledger.service.js';

export interface DashboardView {
  banks: { code: string; label: string; balance: string }[];
  cash: string;
  period: string;
  runs: AllocationRunDto[];
}

/** The dashboard's figures, read through the facades of the ledger and allocations. */
@Injectable()
export class DashboardData {
  constructor(
    private readonly ledger: LedgerService,
    private readonly allocations: AllocationsService,
  ) {}

  async load(caisseId: string): Promise<DashboardView> {
    const period = new Date().toISOString().slice(0, 7);
    const accounts = await this.ledger.listAccounts(caisseId);
    const banks = accounts.filter((a) => a.number.startsWith('512') && !a.closedAt).map((a) => ({ code: a.code, label: a.label, balance: a.balance }));
    const cash = banks.reduce((sum, b) => sum.plus(b.balance), new Decimal(0)).toFixed(2);
    const runs = await this.allocations.list(caisseId, period);
    return { banks, cash, period, runs };
  }
}
