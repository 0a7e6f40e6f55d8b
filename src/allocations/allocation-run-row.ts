import { formatMoney, money } from '../common/money/money.js';
import type { AllocationRunDto, AllocationRunLineDto, LineStatus, RunErrorDto, RunStatus } from './dto/allocation-run.dto.js';

/** allocation_runs as read by SELECT * (numerics as strings). */
export interface RunRow {
  id: string;
  caisse_id: string;
  period: string;
  kind: 'regular' | 'dry-run';
  status: RunStatus;
  rule_version_id: string | null;
  rules: unknown;
  fund: string | null;
  days_in_period: number | null;
  reduction_percent: string | null;
  needed: string | null;
  available: string | null;
  total_lines: number;
  done_lines: number;
  /** Last line of the last committed chunk: the lines up to it are done (their credits are in the ledger). */
  posted_seq: number;
  credited_members: number;
  credited_amount: string;
  expired_amount: string;
  skipped_members: number;
  catch_ups: number;
  attempts: number;
  errors: RunErrorDto[];
  created_at: Date;
  planned_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRunDto(r: RunRow): AllocationRunDto {
  const solvency =
    r.needed !== null && r.available !== null
      ? { needed: formatMoney(r.needed), available: formatMoney(r.available), missing: formatMoney(money(r.needed).minus(r.available).greaterThan(0) ? money(r.needed).minus(r.available) : 0) }
      : null;
  return {
    id: r.id,
    period: r.period,
    dryRun: r.kind === 'dry-run',
    status: r.status,
    progress: { done: r.done_lines, total: r.total_lines },
    totals: { members: r.credited_members, amount: formatMoney(r.credited_amount), expired: formatMoney(r.expired_amount), skippedGate: r.skipped_members },
    reductionPercent: r.reduction_percent === null ? null : money(r.reduction_percent).toFixed(4),
    solvency,
    ruleVersionId: r.rule_version_id,
    fund: r.fund,
    catchUps: r.catch_ups,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    errors: r.errors,
  };
}

export interface LineRow {
  seq: number;
  member_id: string;
  wallet_account: string;
  status: LineStatus;
  active_days: number;
  adults: number;
  children_under14: number;
  children_14_and_over: number;
  contribution: string | null;
  gross: string;
  amount: string;
  expired: string;
  top_up: string;
  top_up_fund: string | null;
  entry_id: string | null;
  expire_entry_id: string | null;
  error: string | null;
}

export function toLineDto(l: LineRow): AllocationRunLineDto {
  return {
    seq: l.seq,
    memberId: l.member_id,
    walletAccount: l.wallet_account,
    status: l.status,
    activeDays: l.active_days,
    household: { adults: l.adults, childrenUnder14: l.children_under14, children14AndOver: l.children_14_and_over },
    contribution: l.contribution === null ? null : formatMoney(l.contribution),
    gross: formatMoney(l.gross),
    amount: formatMoney(l.amount),
    expired: formatMoney(l.expired),
    topUp: formatMoney(l.top_up),
    topUpFund: l.top_up_fund,
    entryId: l.entry_id,
    expireEntryId: l.expire_entry_id,
    error: l.error,
  };
}
