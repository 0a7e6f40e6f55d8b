import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bearer } from './member-fixtures.js';
import type { TestApp } from './test-app.js';

const RIB_LETTERS: Record<string, string> = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, String([1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5, 6, 7, 8, 9][i])]));

/** The French IBAN of a RIB (bank, branch, account without key): RIB key, then the IBAN check digits. */
export function frenchIban(bank: string, branch: string, account: string): string {
  const digits = account.replace(/[A-Z]/g, (c) => RIB_LETTERS[c]);
  const key = 97n - ((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(digits)) % 97n);
  const bban = `${bank}${branch}${account}${String(key).padStart(2, '0')}`;
  const numeric = `${bban}FR00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(numeric) % 97n);
  return `FR${String(check).padStart(2, '0')}${bban}`;
}

/** Uploads a statement file as multipart, the way a browser form does. */
export function uploadStatement(t: TestApp, caisseId: string, token: string, content: string | Buffer, name = 'releve.xml', fields: Record<string, string> = {}) {
  let req = t.http.post(`/api/v1/caisses/${caisseId}/bank-statements`).set(bearer(token));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'latin1'), name);
}

/** A payout as the settlements module posts it (journal REG, piece = EndToEndId, key payout:<MsgId>:<EndToEndId>). */
export async function postPayout(t: TestApp, caisseId: string, p: { msgId: string; endToEndId: string; amount: string; date: string; outlet: string; bank?: string }) {
  const ledger = t.app.get(LedgerService);
  const payable = await ledger.ensureAuxAccount({ caisseId, number: '401', aux: p.outlet, label: `Point de vente ${p.outlet}` });
  return ledger.post({
    caisseId,
    journal: 'REG',
    date: p.date,
    label: `Paiement ${p.outlet}`,
    pieceRef: p.endToEndId,
    idempotencyKey: `payout:${p.msgId}:${p.endToEndId}`,
    lines: [
      { account: payable, debit: p.amount },
      { account: p.bank ?? '512', credit: p.amount },
    ],
  });
}
