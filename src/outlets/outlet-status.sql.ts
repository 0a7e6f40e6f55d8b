/**
 * The status of an outlet at an instant, computed by PostgreSQL from the append-only history on every call: no
 * cache, so a revocation recorded on one app instance is refused by every instance on the very next request.
 * One probe of ix_outlet_transitions_effective per outlet.
 *
 * A conventionnement with validUntil ends at the following midnight, Paris time, even before the daily job writes
 * the "expired" step into the history.
 */

/** Lateral join exposing `<alias>.to_status, effective_at, review_on, valid_until` of the last step effective at `at`. */
export function statusJoin(outlet: string, at: string, alias = 'st'): string {
  return `LEFT JOIN LATERAL (
      SELECT t.to_status, t.effective_at, t.review_on, t.valid_until
        FROM outlet_transitions t
       WHERE t.outlet_id = ${outlet} AND t.effective_at <= ${at}
       ORDER BY t.effective_at DESC, t.seq DESC
       LIMIT 1) ${alias} ON true`;
}

/** Lateral join exposing `<alias>.to_status, effective_at` of the first recorded step that takes effect after `at`. */
export function pendingJoin(outlet: string, at: string, alias = 'nx'): string {
  return `LEFT JOIN LATERAL (
      SELECT t.to_status, t.effective_at
        FROM outlet_transitions t
       WHERE t.outlet_id = ${outlet} AND t.effective_at > ${at}
       ORDER BY t.effective_at, t.seq
       LIMIT 1) ${alias} ON true`;
}

/** The instant a conventionnement valid until a date ends: midnight after that date in France. */
export function termsEnd(alias = 'st'): string {
  return `((${alias}.valid_until + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;
}

function ended(at: string, alias: string): string {
  return `(${alias}.to_status IN ('conventionne','renewal-due') AND ${alias}.valid_until IS NOT NULL AND ${at} >= ${termsEnd(alias)})`;
}

/** `status` and `status_since` columns, with the end of the terms applied. */
export function statusColumns(at: string, alias = 'st'): string {
  return `CASE WHEN ${ended(at, alias)} THEN 'expired' ELSE ${alias}.to_status END AS status,
          CASE WHEN ${ended(at, alias)} THEN ${termsEnd(alias)} ELSE ${alias}.effective_at END AS status_since`;
}

/** A boolean SQL condition: members may spend at the outlet at `at`. */
export function acceptingCondition(at: string, alias = 'st'): string {
  return `(${alias}.to_status IN ('conventionne','renewal-due') AND NOT ${ended(at, alias)})`;
}
