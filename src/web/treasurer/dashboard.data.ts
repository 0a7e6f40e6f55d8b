import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { AllocationsService } from '../../allocations/allocations.service.js';
import type { AllocationRunDto } from '../../allocations/dto/allocation-run.dto.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import type { AvailableForAllocations } from '../../contributions/contributions.types.js';
import { LedgerService } from '../../ledger/ledger.service.js';

export interface DashboardView {
  banks: { code: string; label: string; balance: string }[];
  cash: string;
  funds: AvailableForAllocations;
  /** What one month of allocations costs: the last completed regular run (null before any). */
  monthlyNeed: string | null;
  /** Months the money available pays for at that rate (null without a run to measure it). */
  runwayMonths: string | null;
  /** The available fund month by month if nothing else came in: [period, amount]. */
  projection: [string, string][];
  period: string;
  contributions: { due: string; paid: string; counts: Record<string, number> };
  runs: AllocationRunDto[];
}

const PROJECTION_MONTHS = 12;

/** The dashboard's figures, read through the facades of the ledger, contributions and allocations. */
@Injectable()
export class DashboardData {
  constructor(
    private readonly ledger: LedgerService,
    private readonly allocations: AllocationsService,
    private readonly contributions: ContributionsService,
  ) {}

  async load(caisseId: string): Promise<DashboardView> {
    const today = new Date().toISOString().slice(0, 10);
    const period = today.slice(0, 7);
    const accounts = await this.ledger.listAccounts(caisseId);
    const banks = accounts.filter((a) => a.number.startsWith('512') && !a.closedAt).map((a) => ({ code: a.code, label: a.label, balance: a.balance }));
    const cash = banks.reduce((sum, b) => sum.plus(b.balance), new Decimal(0)).toFixed(2);
    const [funds, allRuns, statuses] = await Promise.all([
      this.contributions.availableForAllocations(caisseId, today),
      this.allocations.list(caisseId),
      this.contributions.statusFor(caisseId, period),
    ]);
    const last = allRuns.find((r) => !r.dryRun && r.status === 'completed' && new Decimal(r.totals.amount).gt(0));
    const need = last ? new Decimal(last.totals.amount) : null;
    const available = new Decimal(funds.available);
    const runwayMonths = need ? Decimal.max(available, 0).div(need).toDecimalPlaces(1, Decimal.ROUND_DOWN).toFixed(1) : null;
    const projection: [string, string][] = [];
    for (let i = 0; i <= PROJECTION_MONTHS; i++) projection.push([addMonths(period, i), available.minus(need ? need.times(i) : 0).toFixed(2)]);
    const counts: Record<string, number> = {};
    let due = new Decimal(0);
    let paid = new Decimal(0);
    for (const s of statuses) {
      counts[s.status] = (counts[s.status] ?? 0) + 1;
      due = due.plus(s.due);
      paid = paid.plus(s.paid);
    }
    return {
      banks,
      cash,
      funds,
      monthlyNeed: need?.toFixed(2) ?? null,
      runwayMonths,
      projection,
      period,
      contributions: { due: due.toFixed(2), paid: paid.toFixed(2), counts },
      runs: allRuns.filter((r) => r.period === period),
    };
  }
}

function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
