import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { todayInFrance } from '../../src/common/dates.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { MAX_STATEMENT_BYTES } from '../../src/reconciliation/dto/statement.dto.js';
import { bearer } from '../support/outlet-fixtures.js';
import { pain002, payCaisse, type PayCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { camt053, type TestStatement } from '../support/statement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webLogin, type WebClient } from '../support/web-fixtures.js';

/** Keeps a download as bytes (superagent would decode text/plain as UTF-8). */
const binary: Extract<Parameters<Test['parse']>[0], (res: never, cb: never) => void> = (res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

type Line = { id: string; amount: string; matchId: string | null; rule: string | null; proposal: unknown; suggestion: string | null };

describe('Web pages: bank statements, matching, pain.002, closings and FEC (e2e)', () => {
  let t: TestApp;
  let c: PayCaisse;
  let treasurer: WebClient;
  const today = todayInFrance();
  const year = Number(today.slice(0, 4));
  const api = (s: string) => `/api/v1/caisses/${c.caisseId}${s}`;
  const web = (s: string) => `/caisses/${c.caisseId}${s}`;
  /** The CSRF token an upload form carries in its action's query string. */
  const uploadToken = (page: Response) => /enctype="multipart\/form-data" action="[^"?]+\?_csrf=([^"]+)"/.exec(page.text)?.[1];
  const upload = (path: string, token: string | undefined, file: Buffer, name: string, fields: Record<string, string> = {}) => {
    let req = t.http.post(token ? `${path}?_csrf=${token}` : path).set('Cookie', treasurer.cookieHeader()).set('Accept', 'text/html');
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, name);
  };
  const statements = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM bank_statements WHERE caisse_id = $1`, [c.caisseId]))[0].n;
  const lines = async (): Promise<Line[]> => (await t.http.get(api('/bank-statement-lines?bankAccount=5121')).set(bearer(c.tokens.treasurer))).body;

  /** A run over outlets with purchases, approved by the admin and exported (payouts posted on 5121). */
  async function exportedRun(amounts: string[]) {
    const outlets = [];
    for (const amount of amounts) {
      const o = await payee(t, c);
      await sale(t, c, o.accountCode, amount);
      outlets.push(o);
    }
    const created = await t.http.post(api('/settlement-runs')).set(bearer(c.tokens.treasurer)).send({ until: today, outlets: outlets.map((o) => o.id) });
    expect(created.status).toBe(202);
    expect((await t.http.post(api(`/settlement-runs/${created.body.id}/approve`)).set(bearer(c.tokens.admin)).send({})).status).toBe(200);
    const run = await t.http.post(api(`/settlement-runs/${created.body.id}/export`)).set(bearer(c.tokens.treasurer)).send({});
    expect(run.status).toBe(200);
    return run.body as { id: string; messageId: string; lines: { endToEndId: string; amount: string }[] };
  }

  let run: Awaited<ReturnType<typeof exportedRun>>;
  let statement: TestStatement;
  beforeAll(async () => {
    t = await createTestApp();
    c = await payCaisse(t);
    await t.sql(`UPDATE caisses SET siren = '732829320' WHERE id = $1`, [c.caisseId]);
    treasurer = await webLogin(t, c.caisseId, 'treasurer');
    run = await exportedRun(['25.00', '14.20']);
    // Two gifts of the same amount on the same day: the matcher can only propose one of them.
    const ledger = t.app.get(LedgerService);
    for (const who of ['A', 'B']) {
      await ledger.post({ caisseId: c.caisseId, journal: 'BQ', date: today, label: `Don ${who}`, pieceRef: `DON-${who}`, idempotencyKey: `k-${randomUUID()}`, lines: [{ account: '5121', debit: '60.00' }, { account: '471', credit: '60.00' }] });
    }
    statement = {
      id: 'RLV-WEB-1',
      sequence: '1',
      opening: '0.00',
      openingOn: today,
      closingOn: today,
      movements: [
        ...run.lines.map((l) => ({ amount: `-${l.amount}`, bookedOn: today, label: 'VIR SEPA EMIS', endToEndIds: [l.endToEndId] })),
        { amount: '-1.50', bookedOn: today, label: 'FRAIS TENUE DE COMPTE', family: 'CHRG' },
        { amount: '77.77', bookedOn: today, label: 'VIR SEPA INCONNU', counterparty: 'JEAN DUPONT' },
        { amount: '60.00', bookedOn: today, label: 'VIR SEPA DON' },
      ],
    };
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses an upload without its CSRF token before reading the body: no file is parsed, whatever it holds', async () => {
    const file = Buffer.from(camt053(c.bankIban, [statement]));
    const page = await treasurer.get(web('/banque'));
    expect(page.status).toBe(200);
    const token = uploadToken(page);
    expect(token).toBeDefined();
    expect((await upload(web('/banque/releves'), undefined, file, 'releve.xml')).status).toBe(403);
    // A token in a form field is not read: the guard runs before the multipart body is.
    expect((await upload(web('/banque/releves'), undefined, file, 'releve.xml', { _csrf: token! })).status).toBe(403);
    expect((await upload(web('/banque/releves'), 'forged', file, 'releve.xml')).status).toBe(403);
    // Over the size limit, or not even multipart: still 403 (a 413 / 400 would mean the body was read).
    expect((await upload(web('/banque/releves'), undefined, Buffer.alloc(MAX_STATEMENT_BYTES + 1, 0x20), 'big.xml')).status).toBe(403);
    const garbage = await t.http.post(web('/banque/releves')).set('Cookie', treasurer.cookieHeader()).set('Content-Type', 'multipart/form-data; boundary=xyz').send('not a multipart body');
    expect(garbage.status).toBe(403);
    expect(garbage.text).toContain('Ce formulaire a expiré');
    // Logged out: the login page, before anything else.
    const anonymous = await t.http.post(web('/banque/releves')).set('Accept', 'text/html').attach('file', file, 'releve.xml');
    expect(anonymous.status).toBe(303);
    const cashier = await webLogin(t, c.caisseId, 'cashier');
    expect((await cashier.get(web('/banque'))).status).toBe(403);
    expect(await statements()).toBe(0);
  });

  it('refuses an oversized file (413 page) and a bad file with the line at fault, importing nothing', async () => {
    const token = uploadToken(await treasurer.get(web('/banque')))!;
    const big = await upload(web('/banque/releves'), token, Buffer.alloc(MAX_STATEMENT_BYTES + 1, 0x20), 'big.xml');
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toContain('text/html');
    const malformedBody = await t.http.post(`${web('/banque/releves')}?_csrf=${token}`).set('Cookie', treasurer.cookieHeader()).set('Content-Type', 'multipart/form-data; boundary=xyz').send('not a multipart body');
    expect(malformedBody.status).toBe(400);
    const good = camt053(c.bankIban, [statement]).split('\n');
    const at = good.findIndex((l) => l.includes('FRAIS TENUE DE COMPTE'));
    good[at] = good[at].replace('<Amt Ccy="EUR">1.50</Amt>', '<Amt Ccy="EUR">1,5O</Amt>');
    const bad = await upload(web('/banque/releves'), token, Buffer.from(good.join('\n')), 'releve.xml');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.text).toContain('pas un relevé lisible');
    expect(bad.text).toContain(`Ligne ${at + 1} du fichier`);
    const empty = await upload(web('/banque/releves'), token, Buffer.alloc(0), 'vide.xml');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('choisissez le fichier du relevé');
    expect(await statements()).toBe(0);
  });

  it('imports a camt.053 through the form: payouts matched, the rest on the matching screen', async () => {
    const token = uploadToken(await treasurer.get(web('/banque')))!;
    const res = await upload(web('/banque/releves'), token, Buffer.from(camt053(c.bankIban, [statement])), 'releve.xml');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(web('/banque/comptes/5121?importe=5'));
    const page = await treasurer.get(res.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Relevé importé : 5 lignes');
    expect(page.text).toContain('Lignes à rapprocher (3)');
    expect(page.text).toContain('Lignes rapprochées (2)');
    expect(page.text).toContain('-1,50\u00a0€');
    expect(page.text).toContain('+77,77\u00a0€');
    expect(page.text).toContain('Accepter la proposition');
    expect(page.text).toContain('Non rapproché');
    const list = await treasurer.get(web('/banque'));
    expect(list.text).toContain('RLV-WEB-1');
    expect(list.text).toContain('camt.053');
    expect(list.text).toContain('3 lignes bancaires à traiter');
  });

  it('accepts a proposal and posts the suggested 627 / 471 entries (once per form), then the account is reconciled', async () => {
    const all = await lines();
    const gift = all.find((l) => l.amount === '60.00')!;
    expect(gift.proposal).toMatchObject({ rule: 'amount-date', confidence: 0.5 });
    const screen = web('/banque/comptes/5121');
    await treasurer.get(screen);
    const accepted = await treasurer.post(web(`/banque/lignes/${gift.id}/rapprocher`), { account: '5121' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`${screen}?fait=proposition`);
    expect((await lines()).find((l) => l.id === gift.id)).toMatchObject({ rule: 'manual', matchId: expect.any(String) });

    const fee = all.find((l) => l.amount === '-1.50')!;
    const unknown = all.find((l) => l.amount === '77.77')!;
    expect([fee.suggestion, unknown.suggestion]).toEqual(['fee', 'suspense']);
    const page = await treasurer.get(screen);
    const keyOf = (id: string) => new RegExp(`/lignes/${id}/ecriture"[^>]*>.*?name="idempotencyKey" value="([^"]+)"`, 's').exec(page.text)![1];
    const feeForm = { account: '5121', kind: 'fee', idempotencyKey: keyOf(fee.id) };
    expect((await treasurer.post(web(`/banque/lignes/${fee.id}/ecriture`), feeForm)).status).toBe(303);
    // The same form sent twice posts one entry.
    expect((await treasurer.post(web(`/banque/lignes/${fee.id}/ecriture`), feeForm)).status).toBe(303);
    expect((await t.app.get(LedgerService).account(c.caisseId, '627')).balance).toBe('1.50');
    // A fee is money out: refused for a credit, with the field named.
    const wrong = await treasurer.post(web(`/banque/lignes/${unknown.id}/ecriture`), { account: '5121', kind: 'fee', idempotencyKey: keyOf(unknown.id) });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('a bank fee is money out');
    const noCsrf = await treasurer.post(web(`/banque/lignes/${unknown.id}/ecriture`), { account: '5121', kind: 'suspense', idempotencyKey: randomUUID() }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect((await treasurer.post(web(`/banque/lignes/${unknown.id}/ecriture`), { account: '5121', kind: 'suspense', idempotencyKey: randomUUID() })).status).toBe(303);

    const done = await treasurer.get(`${screen}?fait=ecriture`);
    expect(done.text).toContain('Écriture passée');
    expect(done.text).toContain('Lignes à rapprocher (0)');
    expect(done.text).toContain(`Rapproché au ${new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${today}T00:00:00Z`))}`);
    expect((await treasurer.get(web('/banque'))).text).toContain('Rapproché au');
    const csv = await treasurer.get(web(`/banque/comptes/5121/etat?au=${today}&format=csv`));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`rapprochement-5121-${today}.csv`);
    const pdf = await t.http.get(web(`/banque/comptes/5121/etat?au=${today}&format=pdf`)).set('Cookie', treasurer.cookieHeader()).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('unmatches a line: it is open again on the screen', async () => {
    const fee = (await lines()).find((l) => l.amount === '-1.50')!;
    await treasurer.get(web('/banque/comptes/5121'));
    const res = await treasurer.post(web(`/banque/rapprochements/${fee.matchId}/annuler`), { account: '5121' });
    expect(res.status).toBe(303);
    expect((await lines()).find((l) => l.id === fee.id)!.matchId).toBeNull();
    const page = await treasurer.get(res.headers.location as string);
    expect(page.text).toContain('Rapprochement annulé');
    expect(page.text).toContain('Lignes à rapprocher (1)');
    const again = await treasurer.post(web(`/banque/rapprochements/${fee.matchId}/annuler`), { account: '5121' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('déjà été annulé');
  });

  it('takes the bank’s pain.002 on an exported run: the rejected transfer is shown, a bad file names its line', async () => {
    const second = await exportedRun(['10.00']);
    const runUrl = web(`/reglements/${second.id}`);
    const page = await treasurer.get(runUrl);
    expect(page.text).toContain('Avis de la banque (pain.002)');
    const token = uploadToken(page)!;
    expect((await upload(`${runUrl}/avis-de-la-banque`, undefined, Buffer.from('x'), 'pain002.xml')).status).toBe(403);
    const bad = await upload(`${runUrl}/avis-de-la-banque`, token, Buffer.from(pain002('REG-NOT-THIS-ONE', [{ e2e: second.lines[0].endToEndId, status: 'RJCT' }])), 'pain002.xml');
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/autre fichier de virements que ce règlement : rien n’a été changé\. \(ligne \d+ du fichier\)/);
    const res = await upload(`${runUrl}/avis-de-la-banque`, token, Buffer.from(pain002(second.messageId, [{ e2e: second.lines[0].endToEndId, status: 'RJCT', reason: 'AC04' }])), 'pain002.xml');
    expect(res.status).toBe(303);
    const after = await treasurer.get(runUrl);
    expect(after.text).toContain('Rejeté par la banque (banque : RJCT AC04)');
    expect(after.text).not.toContain('Avis de la banque (pain.002)');
  });

  it('closes the months, then the previous fiscal year after confirmation; a forced closing needs a reason', async () => {
    const page = await treasurer.get(web('/clotures'));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Clôturer l’exercice ${year - 1}`);
    expect(page.text).toContain('En cours');
    expect(page.text).toContain('Mois clôturés : aucun.');
    const unconfirmed = await treasurer.post(web(`/clotures/${year - 1}/cloturer`), {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Cochez la case pour confirmer');
    const open = await treasurer.post(web(`/clotures/${year - 1}/cloturer`), { confirm: 'oui' });
    expect(open.status).toBe(409);
    expect(open.text).toContain('Des mois de l’exercice ne sont pas clôturés');
    const short = await treasurer.post(web(`/clotures/${year - 1}/cloturer`), { confirm: 'oui', force: 'oui', reason: 'court' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('10 caractères au moins');
    const notOver = await treasurer.post(web(`/clotures/${year}/cloturer`), { confirm: 'oui' });
    expect(notOver.status).toBe(409);
    expect(notOver.text).toContain('pas terminé');

    const current = await treasurer.post(web('/clotures/mois'), { period: today.slice(0, 7), confirm: 'oui' });
    expect(current.status).toBe(400);
    expect(current.text).toMatch(/id="f-period-error">Ce mois n’est pas terminé/);
    expect((await treasurer.post(web('/clotures/mois'), { period: '2025-13', confirm: 'oui' })).status).toBe(400);
    const noConfirm = await treasurer.post(web('/clotures/mois'), { period: `${year - 1}-12` });
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.text).toContain('id="m-confirm-error"');
    const months = await treasurer.post(web('/clotures/mois'), { period: `${year - 1}-12`, confirm: 'oui' });
    expect(months.status).toBe(303);
    expect((await treasurer.get(months.headers.location as string)).text).toContain(`Les mois sont clôturés jusqu’à décembre ${year - 1} inclus.`);
    const twice = await treasurer.post(web('/clotures/mois'), { period: `${year - 1}-11`, confirm: 'oui' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('déjà clôturé');

    const closed = await treasurer.post(web(`/clotures/${year - 1}/cloturer`), { confirm: 'oui' });
    expect(closed.status).toBe(303);
    const after = await treasurer.get(closed.headers.location as string);
    expect(after.text).toContain(`L’exercice ${year - 1} est clôturé.`);
    expect(after.text).toContain('Clôturé le');
    expect(after.text).not.toContain('forcé');
    expect(after.text).not.toContain(`Clôturer l’exercice ${year - 1}`);
    const [audit] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE caisse_id = $1 AND action = 'ledger.period-closed'`, [c.caisseId]);
    expect(audit.n).toBe(1);
  });

  it('serves the annual accounts (PDF, XLSX) and the FEC of a year, open or closed', async () => {
    const pdf = await t.http.get(web(`/clotures/${year - 1}/comptes-annuels?format=pdf`)).set('Cookie', treasurer.cookieHeader()).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const xlsx = await t.http.get(web(`/clotures/${year}/comptes-annuels?format=xlsx`)).set('Cookie', treasurer.cookieHeader()).buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await treasurer.get(web(`/clotures/${year}/comptes-annuels?format=doc`))).status).toBe(400);

    const fec = await t.http.get(web(`/clotures/${year}/fec`)).set('Cookie', treasurer.cookieHeader()).buffer(true).parse(binary);
    expect(fec.status).toBe(200);
    expect(fec.headers['content-type']).toBe('text/plain; charset=iso-8859-15');
    expect(fec.headers['content-disposition']).toMatch(/filename="732829320FEC\d{8}\.txt"/);
    const text = (fec.body as Buffer).toString('latin1');
    expect(text.startsWith('JournalCode\tJournalLib\t')).toBe(true);
    expect(text).toContain('DON-A');
    expect((await treasurer.get(web('/clotures/12/fec'))).status).toBe(400);
  });
});
