import { Injectable } from '@nestjs/common';
import { nextPeriod, todayInFrance } from '../common/dates.js';
import { formatMoney, money } from '../common/money/money.js';
import { maskIban } from '../common/validation/identifiers.js';
import { TransactionHost } from '../database/transaction.js';
import type { DirectDebitBatchSummary, MemberDirectDebits, PreNotification } from './contributions.types.js';
import { MemberDuesService, withoutRules } from './member-dues.service.js';
import { isTarget2BusinessDay, nextBusinessDay } from './target2.js';

/** Day of the month a caisse that never built a batch is assumed to collect on (the early-month habit of the field). */
const DEFAULT_COLLECTION_DAY = 5;

/** The collection day `day` of `period`, clamped to the month's length and moved to the next TARGET2 business day. */
export function collectionDayOf(period: string, day: number): string {
  const last = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate();
  const date = `${period}-${String(Math.min(day, last)).padStart(2, '0')}`;
  return isTarget2BusinessDay(date) ? date : nextBusinessDay(date);
}

/** Read side of the direct debits for the pages: the batch list, and what a member will be debited next. */
@Injectable()
export class DirectDebitReads {
  constructor(
    readonly txHost: TransactionHost,
    private readonly dues: MemberDuesService,
  ) {}

  async batches(caisseId: string): Promise<DirectDebitBatchSummary[]> {
    const rows: Record<string, string | number | null>[] = await this.txHost.tx.query(
      `SELECT id, message_id, period, to_char(collection_date, 'YYYY-MM-DD') AS collection_date, transactions, control_sum::text, status,
              to_char(built_on, 'YYYY-MM-DD') AS built_on
         FROM direct_debit_batches WHERE caisse_id = $1 ORDER BY created_at DESC, id LIMIT 500`,
      [caisseId],
    );
    return rows.map((b) => ({
      id: b.id as string,
      messageId: b.message_id as string,
      period: b.period as string,
      collectionDate: b.collection_date as string,
      transactions: b.transactions as number,
      controlSum: b.control_sum as string,
      status: b.status as string,
      builtOn: b.built_on as string | null,
    }));
  }

  /**
   * The member's active mandate and the debits to come. A batch already built that holds the member is the
   * pre-notification itself (its amount, collection date and mandate reference are final). For a month with no such
   * batch yet, the API stores no schedule, so the next one is estimated: what the member still owes for the month
   * (due − paid under the rule in force), collected on the day of the month of the caisse's latest batch (the 5th
   * when it never built one), moved to a TARGET2 business day and never before the earliest date a batch built
   * today could use.
   */
  async forMember(caisseId: string, memberId: string, today = todayInFrance()): Promise<MemberDirectDebits> {
    const [m]: { reference: string; signed_on: string; iban: string; first_collected: boolean }[] = await this.txHost.tx.query(
      `SELECT reference, to_char(signed_on, 'YYYY-MM-DD') AS signed_on, iban, first_collected FROM sepa_mandates
        WHERE caisse_id = $1 AND member_id = $2 AND revoked_on IS NULL`,
      [caisseId, memberId],
    );
    if (!m) return { mandate: null, upcoming: [] };
    const mandate = { reference: m.reference, signedOn: m.signed_on, iban: maskIban(m.iban), nextSequenceType: m.first_collected ? 'RCUR' : 'FRST' };
    const items: { period: string; collection_date: string; amount: string; reference: string; sequence_type: string; status: string }[] = await this.txHost.tx.query(
      `SELECT b.period, to_char(b.collection_date, 'YYYY-MM-DD') AS collection_date, i.amount::text, s.reference, i.sequence_type, b.status
         FROM direct_debit_items i JOIN direct_debit_batches b ON b.id = i.batch_id JOIN sepa_mandates s ON s.id = i.mandate_id
        WHERE b.caisse_id = $1 AND i.member_id = $2 AND i.returned_on IS NULL AND b.status <> 'cancelled'
          AND b.period >= $3 ORDER BY b.collection_date, i.end_to_end_id`,
      [caisseId, memberId, today.slice(0, 7)],
    );
    const upcoming: PreNotification[] = items
      .filter((i) => i.collection_date >= today && i.status !== 'settled')
      .map((i) => ({ period: i.period, collectionDate: i.collection_date, amount: formatMoney(i.amount), mandateReference: i.reference, sequenceType: i.sequence_type, estimated: false }));
    const batched = new Set(items.map((i) => i.period));
    const estimate = await this.estimate(caisseId, memberId, today, batched, mandate);
    if (estimate) upcoming.push(estimate);
    return { mandate, upcoming };
  }

  private async estimate(caisseId: string, memberId: string, today: string, batched: Set<string>, mandate: MemberDirectDebits['mandate'] & object): Promise<PreNotification | undefined> {
    const [last]: { day: number }[] = await this.txHost.tx.query(
      `SELECT extract(day FROM collection_date)::int AS day FROM direct_debit_batches WHERE caisse_id = $1 AND status <> 'cancelled' ORDER BY created_at DESC LIMIT 1`,
      [caisseId],
    );
    const day = last?.day ?? DEFAULT_COLLECTION_DAY;
    const earliest = nextBusinessDay(today);
    const current = today.slice(0, 7);
    for (const period of [current, nextPeriod(current)]) {
      if (batched.has(period)) continue;
      const s = await this.dues.statusOfMember(caisseId, memberId, period).catch(withoutRules);
      if (!s || s.status === 'paid' || s.status === 'waived') continue;
      const owed = money(s.due).minus(s.paid);
      if (owed.lessThanOrEqualTo(0)) continue;
      const planned = collectionDayOf(period, day);
      // Past this month's usual day, a batch built today collects at the earliest possible date.
      const collectionDate = planned < earliest ? earliest : planned;
      return { period, collectionDate, amount: formatMoney(owed), mandateReference: mandate.reference, sequenceType: mandate.nextSequenceType, estimated: true };
    }
    return undefined;
  }
}
