import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ParsedStatement } from './parsers/statement.types.js';

const BATCH = 2000;
/** Control characters (NUL above all, which PostgreSQL refuses in text) become spaces; chr(31) separates list items. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const clean = (s: string, max: number) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);

/** Inserts a statement and its lines (in batches of unnest arrays: one statement per 2,000 lines, not one per line). */
export async function insertStatement(tx: EntityManager, caisseId: string, bankAccount: string, s: ParsedStatement, sha: string): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO bank_statements (id, caisse_id, bank_account, format, statement_ref, sequence, from_date, to_date, opening, closing, line_count, file_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, caisseId, bankAccount, s.format, clean(s.statementRef, 70), clean(s.sequence, 35), s.fromDate, s.toDate, s.opening, s.closing, s.lines.length, sha],
  );
  for (let from = 0; from < s.lines.length; from += BATCH) {
    const chunk = s.lines.slice(from, from + BATCH);
    const col = <T>(f: (l: (typeof chunk)[number], i: number) => T) => chunk.map(f);
    await tx.query(
      `INSERT INTO bank_statement_lines (id, statement_id, caisse_id, bank_account, line_no, source_line, booked_on, value_on, amount, reference,
              end_to_end_ids, batch_refs, counterparty_name, counterparty_iban, remittance, bank_code, label)
       SELECT gen_random_uuid(), $1, $2, $3, r.line_no, r.source_line, r.booked_on, r.value_on, r.amount, r.reference,
              CASE WHEN r.e2e = '' THEN '{}'::text[] ELSE string_to_array(r.e2e, chr(31)) END,
              CASE WHEN r.batch = '' THEN '{}'::text[] ELSE string_to_array(r.batch, chr(31)) END,
              r.cp_name, r.cp_iban, r.remittance, r.bank_code, r.label
         FROM unnest($4::int[], $5::int[], $6::date[], $7::date[], $8::numeric[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
           AS r(line_no, source_line, booked_on, value_on, amount, reference, e2e, batch, cp_name, cp_iban, remittance, bank_code, label)`,
      [
        id,
        caisseId,
        bankAccount,
        col((_, i) => from + i + 1),
        col((l) => l.sourceLine),
        col((l) => l.bookedOn),
        col((l) => l.valueOn),
        col((l) => l.amount),
        col((l) => clean(l.reference, 140)),
        col((l) => l.endToEndIds.map((e) => clean(e, 35)).join('\u001f')),
        col((l) => l.batchRefs.map((e) => clean(e, 35)).join('\u001f')),
        col((l) => clean(l.counterpartyName, 140)),
        col((l) => clean(l.counterpartyIban, 34)),
        col((l) => clean(l.remittance, 500)),
        col((l) => clean(l.bankCode, 35)),
        col((l) => clean(l.label, 250)),
      ],
    );
  }
  return id;
}
