import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Response, Test } from 'supertest';
import { todayInFrance } from '../../src/common/dates.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { JournalCode, PostingLineInput } from '../../src/ledger/ledger.types.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * A year Y built here (the postings of contributions, a direct debit, two grants — one with a part for the next year
 * in 487 —, allocations, a purchase, a refund, a reversal, an expiry, a payout, rent, a gift, a bank line in 471),
 * entries of Y+1 posted before Y closes, then the annual closing (forced: 471 not empty) and the FEC of both years
 * read byte by byte. Every figure is computed by hand in the comments.
 */
const SIREN = '732829320';
const Y = Number(todayInFrance().slice(0, 4)) - 1;
const N1 = Y + 1;

/** Keeps the body as bytes (superagent would decode text/plain as UTF-8). */
const binary: Extract<Parameters<Test['parse']>[0], (res: never, cb: never) => void> = (res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

type Fec = { lines: string[][]; raw: Buffer; res: Response };
const num = (s: string) => Number(s.replace(',', '.'));
const cents = (s: string) => Math.round(num(s) * 100);

describe('annual closing, FEC and annual accounts (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let ledger: LedgerService;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const post = async (journal: JournalCode, date: string, label: string, lines: PostingLineInput[], pieceRef = `P-${randomUUID().slice(0, 8)}`) =>
    (await ledger.post({ caisseId, journal, date, label, pieceRef, idempotencyKey: `t-${randomUUID()}`, lines })).entry;
  const fec = async (year: number): Promise<Fec> => {
    const res = await t.http.get(url(`/exports/fec?fiscalYear=${year}`)).set(auth()).buffer(true).parse(binary);
    const raw = res.body as Buffer;
    // Kept as a test artifact: the FEC of the test year, for a human (or the DGFiP checker) to read.
    if (res.status === 200) {
      mkdirSync('test-artifacts/fec', { recursive: true });
      writeFileSync(`test-artifacts/fec/test-year-${year}.txt`, raw);
    }
    const text = iconv.decode(raw, 'iso-8859-15');
    return { res, raw, lines: text.split('\r\n').filter((l) => l !== '').map((l) => l.split('\t')) };
  };
  const M1 = 'M' + randomUUID().slice(0, 8).toUpperCase().replace(/-/g, '');
  const M2 = 'M' + randomUUID().slice(0, 8).toUpperCase().replace(/-/g, '');

  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
    const slug = `fec-${randomUUID().slice(0, 8)}`;
    const created = await t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).send({ name: `Caisse ${slug}`, slug, siren: SIREN });
    caisseId = created.body.id;
    await t.http.post(url('/users')).set('Authorization', `Bearer ${t.adminToken}`).send({ email: `t-${slug}@test.caisse`, password: 'password-treasurer-123', role: 'treasurer' });
    token = await t.login(`t-${slug}@test.caisse`, 'password-treasurer-123');

    // Stored labels that must never reach the FEC for members; an outlet whose label needs é and € in ISO-8859-15.
    await ledger.ensureAuxAccount({ caisseId, number: '4671', aux: M1, label: 'Jeanne Dupont' });
    await ledger.ensureAuxAccount({ caisseId, number: '4671', aux: M2, label: 'Paul Martin' });
    await ledger.ensureAuxAccount({ caisseId, number: '411', aux: M1, label: 'Jeanne Dupont' });
    await ledger.ensureAuxAccount({ caisseId, number: '401', aux: 'OUT1', label: 'Épicerie du €uro' });
    await ledger.ensureAuxAccount({ caisseId, number: '441', aux: 'F1', label: 'Région' });
    await ledger.ensureAuxAccount({ caisseId, number: '741', aux: 'F1', label: 'Région' });
    await ledger.ensureAuxAccount({ caisseId, number: '4687', aux: 'F2', label: 'Fondation' });
    const alloc = { fund: 'allocations' };
    const d = (md: string) => `${Y}-${md}`;
    await post('COT', d('01-10'), 'Cotisation virement', [{ account: '512', debit: '30.00' }, { account: '756', credit: '30.00' }]);
    const call = await post('COT', d('01-15'), 'Prélèvement appelé', [{ account: `411-${M1}`, debit: '20.00' }, { account: '756', credit: '20.00' }]);
    const paid = await post('BQ', d('01-20'), 'Prélèvement réglé', [{ account: '512', debit: '20.00' }, { account: `411-${M1}`, credit: '20.00' }]);
    await ledger.letter(caisseId, [{ entryId: call.id, lineNo: 1 }, { entryId: paid.id, lineNo: 2 }], d('01-21'));
    await post('COT', d('02-01'), 'Convention G1', [{ account: '441-F1', debit: '1000.00', ...alloc, grant: 'G1' }, { account: '741-F1', credit: '1000.00', ...alloc, grant: 'G1' }]);
    await post('BQ', d('03-01'), 'Versement G1', [{ account: '512', debit: '600.00', ...alloc, grant: 'G1' }, { account: '441-F1', credit: '600.00', ...alloc, grant: 'G1' }]);
    await post('COT', d('02-15'), 'Convention G2', [{ account: '4687-F2', debit: '500.00', ...alloc, grant: 'G2' }, { account: '7551', credit: '500.00', ...alloc, grant: 'G2' }]);
    await post('BQ', d('03-15'), 'Versement G2', [{ account: '512', debit: '500.00', ...alloc, grant: 'G2' }, { account: '4687-F2', credit: '500.00', ...alloc, grant: 'G2' }]);
    await post('ALL', d('04-01'), 'Allocation', [{ account: '6571', debit: '300.00', ...alloc }, { account: `4671-${M1}`, credit: '300.00' }]);
    await post('ALL', d('05-01'), 'Allocation', [{ account: '6571', debit: '200.00', ...alloc }, { account: `4671-${M2}`, credit: '200.00' }]);
    await post('ACH', d('04-10'), 'Achat', [{ account: `4671-${M1}`, debit: '120.00' }, { account: '401-OUT1', credit: '120.00' }]);
    await post('ACH', d('04-12'), 'Remboursement', [{ account: '401-OUT1', debit: '20.00' }, { account: `4671-${M1}`, credit: '20.00' }]);
    const wrong = await post('ACH', d('05-10'), 'Achat erroné', [{ account: `4671-${M2}`, debit: '50.00' }, { account: '401-OUT1', credit: '50.00' }]);
    await ledger.reverse(caisseId, wrong.id, 'doublon', { date: d('05-11') });
    await post('REG', d('06-15'), 'Virement au point de vente', [{ account: '401-OUT1', debit: '100.00' }, { account: '512', credit: '100.00' }]);
    await post('OD', d('06-30'), 'Expiration', [{ account: `4671-${M2}`, debit: '30.00' }, { account: '6571', credit: '30.00', ...alloc }]);
    await post('OD', d('07-01'), 'Loyer', [{ account: '613', debit: '50.00' }, { account: '512', credit: '50.00' }]);
    await post('COT', d('08-01'), 'Don', [{ account: '512', debit: '75.00' }, { account: '7541', credit: '75.00' }]);
    await post('BQ', d('09-01'), 'Ligne bancaire inexpliquée', [{ account: '471', debit: '5.00' }, { account: '512', credit: '5.00' }]);
    await post('OD', d('12-31'), 'Part G1 des exercices suivants', [{ account: '741-F1', debit: '400.00', ...alloc, grant: 'G1' }, { account: '487', credit: '400.00', ...alloc, grant: 'G1' }]);
    // Year Y+1 goes on before Y closes: these take numbers 1–3 of Y+1, the à-nouveaux come later.
    await post('OD', `${N1}-01-02`, 'Reprise PCA G1', [{ account: '487', debit: '400.00', ...alloc, grant: 'G1' }, { account: '741-F1', credit: '400.00', ...alloc, grant: 'G1' }]);
    await post('COT', `${N1}-01-02`, 'Cotisation', [{ account: '512', debit: '10.00' }, { account: '756', credit: '10.00' }]);
    await post('ALL', `${N1}-01-02`, 'Allocation', [{ account: '6571', debit: '100.00', ...alloc }, { account: `4671-${M1}`, credit: '100.00' }]);
  });
  afterAll(async () => t?.close());

  const close = (body: object) => t.http.post(url(`/fiscal-years/${Y}/close`)).set(auth()).send(body);

  it('refuses to close a year with open months, then with 471 not empty, and a forced closing without a reason', async () => {
    const open = await close({});
    expect(open.status).toBe(409);
    expect(open.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(open.body.code).toBe('MONTHS_NOT_CLOSED');
    expect((await t.http.post(url('/closings')).set(auth()).send({ period: `${Y}-12` })).status).toBe(201);
    const suspense = await close({});
    expect(suspense.status).toBe(409);
    expect(suspense.body).toMatchObject({ code: 'SUSPENSE_NOT_EMPTY', balance: '5.00' });
    const noReason = await close({ force: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toHaveProperty('reason');
    expect((await t.http.post(url('/fiscal-years/abc/close')).set(auth()).send({})).body.errors).toHaveProperty('year');
  });

  it('closes the year: fonds dédiés per grant, result on 120, à-nouveaux in Y+1, a seal, running balances unchanged', async () => {
    const res = await close({ force: true, reason: 'Ligne bancaire de 5 € en attente de la banque' });
    expect(res.status).toBe(201);
    // Produits 30+20 (756) + 600 (741: 1000 − 400 deferred) + 500 (7551) + 75 (7541) = 1225;
    // charges 470 (6571: 300 + 200 − 30) + 50 (613) + 130 + 500 (fonds dédiés) = 1150.
    expect(res.body).toMatchObject({ fiscalYear: `${Y}-01-01`, forced: true, result: '75.00' });
    expect(res.body.sealSeq).toEqual(expect.any(Number));
    const [funds] = res.body.entryIds;
    const fundEntry = await ledger.entry(caisseId, funds);
    // The 470 of allocations consume G1 first (reference order): G1 leaves 130 (public → 6894/194), G2 all 500 (other → 6895/195).
    expect(fundEntry.lines.map((l) => [l.account, l.debit, l.credit, l.grant])).toEqual([
      ['6894', '130.00', '0.00', 'G1'],
      ['194-F1', '0.00', '130.00', 'G1'],
      ['6895', '500.00', '0.00', 'G2'],
      ['195-F2', '0.00', '500.00', 'G2'],
    ]);
    expect(fundEntry).toMatchObject({ date: `${Y}-12-31`, journal: 'OD' });
    const an = await ledger.entry(caisseId, res.body.openingEntryIds[0]);
    expect(an).toMatchObject({ journal: 'AN', date: `${N1}-01-01`, fiscalYear: `${N1}-01-01`, yearEntryNo: 4 });
    const byAccount = Object.fromEntries(an.lines.map((l) => [l.account, l.debit !== '0.00' ? `D ${l.debit}` : `C ${l.credit}`]));
    expect(byAccount).toEqual({
      '194-F1': 'C 130.00',
      '195-F2': 'C 500.00',
      '441-F1': 'D 400.00',
      [`4671-${M1}`]: 'C 200.00',
      [`4671-${M2}`]: 'C 170.00',
      '471': 'D 5.00',
      '487': 'C 400.00',
      '512': 'D 1070.00',
      '120': 'C 75.00',
    });
    // The wallets still hold what they held (200 + 100 of Y+1), and 6571 now shows Y+1 only.
    const available = await ledger.available(caisseId, [`4671-${M1}`, '6571', '120']);
    expect(available.get(`4671-${M1}`)!.toFixed(2)).toBe('300.00');
    expect(available.get('6571')!.toFixed(2)).toBe('-100.00');
    expect(available.get('120')!.toFixed(2)).toBe('75.00');
    const verify = await t.http.get(url('/ledger/verify')).set(auth());
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
    const [audit] = await t.sql<{ after: { reason: string } }>(`SELECT after FROM audit_log WHERE caisse_id = $1 AND action = 'ledger.year-closed-forced'`, [caisseId]);
    expect(audit.after.reason).toMatch(/5 €/);
  });

  it('is idempotent: closing again returns the closing as recorded and posts nothing', async () => {
    const [{ n: before }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM journal_entries WHERE caisse_id = $1`, [caisseId]);
    const first = (await t.http.get(url('/fiscal-years/closings')).set(auth())).body[0];
    const again = await close({});
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    const [{ n: after }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM journal_entries WHERE caisse_id = $1`, [caisseId]);
    expect(after).toBe(before);
  });

  const checkFile = (f: Fec, year: number) => {
    expect(f.res.status).toBe(200);
    expect(f.res.headers['content-type']).toBe('text/plain; charset=iso-8859-15');
    expect(f.res.headers['content-disposition']).toBe(`attachment; filename="${SIREN}FEC${year}1231.txt"`);
    expect(f.lines[0].join('|')).toBe(
      'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise',
    );
    // Every record ends with CR LF (no bare LF), 18 fields each.
    const text = iconv.decode(f.raw, 'iso-8859-15');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    const body = f.lines.slice(1);
    for (const l of body) {
      expect(l).toHaveLength(18);
      expect(l[3]).toMatch(new RegExp(`^${year}\\d{4}$`));
      expect(l[9]).toMatch(/^\d{8}$/);
      expect(l[15]).toMatch(/^\d{8}$/);
      expect(l[14]).toMatch(/^(\d{8})?$/);
      expect(l[11]).toMatch(/^\d+,\d{2}$/);
      expect(l[12]).toMatch(/^\d+,\d{2}$/);
      expect(l[4]).toMatch(/^\d{3}/);
      expect(l[8]).not.toBe('');
      expect([l[16], l[17]]).toEqual(['', '']);
    }
    // EcritureNum: 1, 2, 3… with each entry's lines together, each entry balanced, each journal and the file too.
    const nums = body.map((l) => Number(l[2]));
    const distinct = [...new Set(nums)];
    expect(distinct).toEqual(distinct.map((_, i) => i + 1));
    expect(nums.every((n, i) => i === 0 || n >= nums[i - 1])).toBe(true);
    const sum = (rows: string[][]) => rows.reduce((s, l) => s + cents(l[11]) - cents(l[12]), 0);
    for (const n of distinct) expect(sum(body.filter((l) => Number(l[2]) === n))).toBe(0);
    for (const j of new Set(body.map((l) => l[0]))) expect(sum(body.filter((l) => l[0] === j))).toBe(0);
    expect(sum(body)).toBe(0);
    // Members by their pseudonym only, whatever label their accounts carry.
    for (const l of body.filter((x) => ['4671', '411'].includes(x[4]))) expect(l[7]).toBe(`Adhérent ${l[6]}`);
    expect(text).not.toMatch(/Dupont|Martin/);
    return body;
  };

  it(`writes the FEC of Y: charset, formats, continuity, balances, lettering, pseudonyms`, async () => {
    const f = await fec(Y);
    const body = checkFile(f, Y);
    const [{ n }] = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.caisse_id = $1 AND e.fiscal_year = $2`,
      [caisseId, `${Y}-01-01`],
    );
    expect(body).toHaveLength(Number(n));
    // ISO-8859-15: "Opérations diverses" has é = 0xE9, the outlet's € is 0xA4; no UTF-8 sequence anywhere.
    expect(f.raw.includes(Buffer.from([0x4f, 0x70, 0xe9]))).toBe(true);
    expect(f.raw.includes(Buffer.from([0xa4, 0x75, 0x72, 0x6f]))).toBe(true);
    expect(f.raw.includes(Buffer.from([0xc3]))).toBe(false);
    const outlet = body.find((l) => l[6] === 'OUT1')!;
    expect(outlet.slice(4, 8)).toEqual(['401', 'Points de vente conventionnés', 'OUT1', 'Épicerie du €uro']);
    // First entry, by hand: COT, n°1, 512 debit 30,00 and 756 credit 30,00, amounts on both sides.
    expect(body[0].slice(0, 5)).toEqual(['COT', 'Contributions', '1', `${Y}0110`, '512']);
    expect(body[0].slice(11, 13)).toEqual(['30,00', '0,00']);
    expect(body[1].slice(11, 13)).toEqual(['0,00', '30,00']);
    // The direct debit called and settled: both 411 lines lettered together, dated the day of the lettering.
    const lettered = body.filter((l) => l[4] === '411');
    expect(lettered.map((l) => [l[13], l[14]])).toEqual([
      ['A', `${Y}0121`],
      ['A', `${Y}0121`],
    ]);
    // The fonds dédiés entry, posted at the closing, is the last of the year; the reversal names its original.
    expect(body.at(-1)![10]).toBe("Fonds dédiés de l'exercice");
    expect(body.some((l) => l[10].startsWith('Extourne n°'))).toBe(true);
    expect(body.filter((l) => l[0] === 'REG')).toHaveLength(2);
  });

  it('writes the FEC of Y+1 with the late à-nouveaux first and no gap, without their technical counterpart', async () => {
    await post('OD', `${N1}-01-03`, 'Loyer', [{ account: '613', debit: '5.00' }, { account: '512', credit: '5.00' }]);
    const body = checkFile(await fec(N1), N1);
    const an = body.filter((l) => l[2] === '1');
    expect(an.every((l) => l[0] === 'AN' && l[3] === `${N1}0101` && l[1] === 'À-nouveaux')).toBe(true);
    expect(an).toHaveLength(9);
    expect(body.filter((l) => l[0] === 'AN')).toHaveLength(9);
    expect(body.find((l) => l[4] === '120')!.slice(11, 13)).toEqual(['0,00', '75,00']);
    // Stored numbers 1–3 (posted before the closing) come after the AN, then n°6 (5 was the counterpart, left out).
    expect([...new Set(body.map((l) => `${l[2]}:${l[10]}`))]).toEqual(['1:À-nouveaux ' + Y, '2:Reprise PCA G1', '3:Cotisation', '4:Allocation', '5:Loyer']);
    expect(body.some((l) => l[10].includes('Contrepartie'))).toBe(false);
  });

  it('previews the first lines as JSON and refuses bad parameters and a caisse without SIREN', async () => {
    const preview = await t.http.get(url(`/exports/fec?fiscalYear=${N1}&format=json&limit=3`)).set(auth());
    expect(preview.status).toBe(200);
    expect(preview.body.filename).toBe(`${SIREN}FEC${N1}1231.txt`);
    expect(preview.body.lines).toHaveLength(3);
    expect(preview.body.lines[0]).toMatchObject({ JournalCode: 'AN', EcritureNum: '1', EcritureDate: `${N1}0101` });
    for (const [query, field] of [['fiscalYear=20x6', 'fiscalYear'], ['', 'fiscalYear'], [`fiscalYear=${Y}&format=csv`, 'format'], [`fiscalYear=${Y}&format=json&limit=0`, 'limit']]) {
      const res = await t.http.get(url(`/exports/fec?${query}`)).set(auth());
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveProperty(field);
    }
    const other = await t.newCaisse();
    const res = await t.http.get(`/api/v1/caisses/${other.caisseId}/exports/fec?fiscalYear=${Y}`).set('Authorization', `Bearer ${other.tokens.treasurer}`);
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('SIREN_MISSING');
  });

  it('gives the annual accounts of Y, balanced, with hand-computed figures and the annexe tables', async () => {
    const res = await t.http.get(url(`/fiscal-years/${Y}/accounts`)).set(auth());
    expect(res.status).toBe(200);
    const a = res.body;
    const pick = (rows: { label: string; current: string; previous: string }[]) => Object.fromEntries(rows.map((r) => [r.label, r.current]));
    expect(pick(a.balanceSheet.assets)).toEqual({ 'Autres créances': '405.00', Disponibilités: '1070.00' });
    expect(pick(a.balanceSheet.liabilities)).toEqual({
      'Fonds dédiés': '630.00',
      'Autres dettes (dont droits alimentaires des adhérents)': '370.00',
      "Produits constatés d'avance": '400.00',
      "Excédent ou déficit de l'exercice": '75.00',
    });
    expect(a.balanceSheet.totals).toEqual({ assets: { current: '1475.00', previous: '0.00' }, liabilities: { current: '1475.00', previous: '0.00' } });
    expect(pick(a.incomeStatement.revenue)).toEqual({
      Cotisations: '50.00',
      "Concours publics et subventions d'exploitation": '600.00',
      'Ressources liées à la générosité du public (dons, mécénat)': '75.00',
      "Contributions financières d'autres organismes": '500.00',
    });
    expect(pick(a.incomeStatement.expenses)).toEqual({
      'Autres achats et charges externes': '50.00',
      'Aides financières (aides alimentaires attribuées)': '470.00',
      'Reports en fonds dédiés': '630.00',
    });
    expect(a.incomeStatement.totals).toEqual({ revenue: { current: '1225.00', previous: '0.00' }, expenses: { current: '1150.00', previous: '0.00' }, result: { current: '75.00', previous: '0.00' } });
    expect(a.dedicatedFunds).toEqual([
      expect.objectContaining({ account: '194-F1', funder: 'F1', opening: '0.00', allotted: '130.00', released: '0.00', closing: '130.00' }),
      expect.objectContaining({ account: '195-F2', funder: 'F2', opening: '0.00', allotted: '500.00', released: '0.00', closing: '500.00' }),
    ]);
    expect(a.grants).toEqual([
      { grant: 'G1', fund: 'allocations', funder: 'F1', notified: '600.00', received: '600.00', released: '0.00', allotted: '130.00', used: '470.00' },
      { grant: 'G2', fund: 'allocations', funder: 'F2', notified: '500.00', received: '500.00', released: '0.00', allotted: '500.00', used: '0.00' },
    ]);
    expect(a.closing).toMatchObject({ result: '75.00', forced: true });
  });

  it('shows the open year Y+1 beside Y, still balanced, and renders PDF and XLSX', async () => {
    const a = (await t.http.get(url(`/fiscal-years/${N1}/accounts`)).set(auth())).body;
    expect(a.balanceSheet.totals.assets).toEqual(a.balanceSheet.totals.liabilities);
    expect(a.balanceSheet.totals.assets.previous).toBe('1475.00');
    // Y+1 so far: 400 (487 released to 741) + 10 (756) − 100 (6571) − 5 (613) = 305.
    expect(a.incomeStatement.totals.result).toEqual({ current: '305.00', previous: '75.00' });
    expect(a.closing).toBeNull();
    const pdf = await t.http.get(url(`/fiscal-years/${Y}/accounts?format=pdf`)).set(auth()).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await t.http.get(url(`/fiscal-years/${Y}/accounts?format=xlsx`)).set(auth()).buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await t.http.get(url(`/fiscal-years/${Y}/accounts?format=doc`)).set(auth())).body.errors).toHaveProperty('format');
  });
});
