import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { childrenOn } from './household.js';
import type { MemberMoves, MemberProfile, PeriodHousehold } from './members.types.js';

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Who was active when, read from the dated status history — what an allocation run needs for a month. */
@Injectable()
export class MemberRoster {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * Members active on at least one day of the period (YYYY-MM), with how many days, and their household with the
   * children counted on the period's first day. Each history row holds from its date until the next row's date.
   * With `memberId`, that member only: a payment needs one household, not the whole roster read per payment.
   */
  async activeInPeriod(caisseId: string, period: string, memberId?: string): Promise<PeriodHousehold[]> {
    const m = PERIOD.exec(period);
    if (!m) throw new ValidationFailed({ period: ['period must be a month written YYYY-MM'] });
    const first = `${period}-01`;
    const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).toISOString().slice(0, 10);
    const rows: { id: string; pseudonym: string; wallet_account: string; adults: number; children_birth_years: number[]; active_days: number; active_from: string; active_through: string }[] =
      await this.txHost.tx.query(
        `WITH h AS (
           SELECT member_id, status, effective_on,
                  lead(effective_on) OVER (PARTITION BY member_id ORDER BY effective_on, id) AS next_on
             FROM member_status_history WHERE caisse_id = $1 AND ($4::uuid IS NULL OR member_id = $4::uuid)
         ), a AS (
           SELECT member_id, greatest(effective_on, $2::date) AS from_d, least(coalesce(next_on - 1, $3::date), $3::date) AS to_d
             FROM h WHERE status = 'active' AND effective_on <= $3::date
         )
         SELECT m.id, m.pseudonym, m.wallet_account, m.adults, m.children_birth_years,
                sum(a.to_d - a.from_d + 1)::int AS active_days, min(a.from_d)::text AS active_from, max(a.to_d)::text AS active_through
           FROM a JOIN members m ON m.id = a.member_id
          WHERE a.to_d >= a.from_d
          GROUP BY m.id ORDER BY m.number`,
        [caisseId, first, last, memberId ?? null],
      );
    return rows.map((r) => {
      const children = childrenOn(r.children_birth_years, first);
      return {
        memberId: r.id,
        pseudonym: r.pseudonym,
        walletAccount: r.wallet_account,
        activeDays: r.active_days,
        activeFrom: r.active_from,
        activeThrough: r.active_through,
        adults: r.adults,
        childrenUnder14: children.under14,
        children14AndOver: children.aged14AndOver,
        childrenBirthYears: [...r.children_birth_years],
      };
    });
  }

  /** Declared monthly incomes of a caisse's members who declared one (money strings): what income-based dues need. */
  async declaredIncomes(caisseId: string): Promise<Map<string, string>> {
    const rows: { id: string; income: string }[] = await this.txHost.tx.query(
      `SELECT id, to_char(monthly_income, 'FM999999999999990.00') AS income FROM members WHERE caisse_id = $1 AND monthly_income IS NOT NULL`,
      [caisseId],
    );
    return new Map(rows.map((r) => [r.id, r.income]));
  }

  /** Every member with the status in force on `at` (null before their first status), for the reports' aggregates. */
  async profilesAt(caisseId: string, at: string): Promise<MemberProfile[]> {
    const rows: { id: string; pseudonym: string; status: string | null; commune: string; adults: number; children: number; income: string | null; joined_on: string }[] =
      await this.txHost.tx.query(
        `SELECT m.id, m.pseudonym, h.status, m.commune, m.adults, cardinality(m.children_birth_years) AS children,
                to_char(m.monthly_income, 'FM999999999999990.00') AS income, to_char(m.joined_on, 'YYYY-MM-DD') AS joined_on
           FROM members m
           LEFT JOIN LATERAL (SELECT s.status FROM member_status_history s WHERE s.member_id = m.id AND s.effective_on <= $2::date
                               ORDER BY s.effective_on DESC, s.id DESC LIMIT 1) h ON true
          WHERE m.caisse_id = $1 ORDER BY m.number`,
        [caisseId, at],
      );
    return rows.map((r) => ({
      memberId: r.id,
      pseudonym: r.pseudonym,
      status: r.status,
      commune: r.commune,
      adults: r.adults,
      children: r.children,
      monthlyIncome: r.income,
      joinedOn: r.joined_on,
    }));
  }

  /** Enrolments (a member's first day active) and exits (moves to left) dated within [from, to]. */
  async movesBetween(caisseId: string, from: string, to: string): Promise<MemberMoves> {
    const [row]: { enrolments: number; exits: number }[] = await this.txHost.tx.query(
      `SELECT count(*) FILTER (WHERE status = 'active' AND first_active)::int AS enrolments, count(*) FILTER (WHERE status = 'left')::int AS exits
         FROM (SELECT status, effective_on,
                      status = 'active' AND NOT coalesce(bool_or(status = 'active') OVER (PARTITION BY member_id ORDER BY effective_on, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS first_active
                 FROM member_status_history WHERE caisse_id = $1) s
        WHERE effective_on BETWEEN $2::date AND $3::date`,
      [caisseId, from, to],
    );
    return row;
  }
}
