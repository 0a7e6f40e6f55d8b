import { bearer, createMember } from '../support/member-fixtures.js';
import { contributionRules, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { todayInFrance } from '../../src/common/dates.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { all, parseXml, text, validateWithXsd } from '../support/xml-tree.js';

describe('SEPA direct debit (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let members: string[];
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    await contributionRules(t, caisseId, c.tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    members = [
      (await createMember(t, caisseId, c.tokens.admin, { monthlyIncome: '1200.00' })).id,
      (await createMember(t, caisseId, c.tokens.admin, { monthlyIncome: '100.00' })).id,
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  // Calls are posted on the day the batch is built; the bank collects on the next TARGET2 business day at the earliest.
  const today = todayInFrance();
  const collectionDate = nextBusinessDay(today);
  const batch = (period: string, key = idemKey()) =>
    t.http.post(url('/direct-debit-batches')).set(bearer(token)).set('Idempotency-Key', key).send({ period, collectionDate });
  const status = async (memberId: string, period: string) => (await t.http.get(url(`/members/${memberId}/contribution-status?period=${period}`)).set(bearer(token))).body.status;

  it('refuses a batch before the creditor identifier is set, and a bad ICS or IBAN', async () => {
    expect((await batch('2026-02')).body.code).toBe('DIRECT_DEBIT_NOT_CONFIGURED');
    const badIcs = await t.http.put(url('/direct-debit-settings')).set(bearer(token)).send({ creditorId: 'FR73ZZZ123456', creditorName: 'Caisse', creditorIban: 'FR7630004000031234567890143' });
    expect(badIcs.status).toBe(400);
    expect(badIcs.body.errors).toHaveProperty('creditorId');
    const badIban = await t.http
      .post(url('/mandates'))
      .set(bearer(token))
      .send({ memberId: members[0], reference: 'RUM-BAD', signedOn: '2026-01-10', debtorName: 'X', iban: 'FR7630006000011234567890188' });
    expect(badIban.status).toBe(400);
    expect(badIban.body.errors).toHaveProperty('iban');
  });

  it('collects what members owe: FRST transactions, contributions posted, file valid', async () => {
    const settings = await t.http
      .put(url('/direct-debit-settings'))
      .set(bearer(token))
      .send({ creditorId: 'fr72 zzz 123456', creditorName: 'Caisse commune de l’Hérault', creditorIban: 'FR76 3000 4000 0312 3456 7890 143', creditorBic: 'BNPAFRPP' });
    expect(settings.status).toBe(200);
    expect(settings.body.creditorId).toBe('FR72ZZZ123456');
    for (const [i, memberId] of members.entries()) {
      const res = await t.http
        .post(url('/mandates'))
        .set(bearer(token))
        .send({ memberId, reference: `RUM-${caisseId.slice(0, 8)}-${i}`, signedOn: '2026-01-10', debtorName: `Adhérente ${i}`, iban: 'FR7630006000011234567890189' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ nextSequenceType: 'FRST', iban: 'FR76*******************0189' });
    }
    const key = idemKey();
    const res = await batch('2026-02', key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ period: '2026-02', transactions: 2, controlSum: '40.00' });
    expect(res.body.items.map((i: { sequenceType: string; amount: string }) => [i.sequenceType, i.amount])).toEqual([
      ['FRST', '30.00'],
      ['FRST', '10.00'],
    ]);
    expect(await status(members[0], '2026-02')).toBe('paid');
    const replay = await batch('2026-02', key);
    expect(replay.body.id).toBe(res.body.id);
    expect((await batch('2026-02')).body.code).toBe('NOTHING_TO_COLLECT');

    const file = await t.http.get(url(`/direct-debit-batches/${res.body.id}/pain.008`)).set(bearer(token));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/xml/);
    const doc = parseXml(file.text);
    expect(text(doc, 'CstmrDrctDbtInitn/GrpHdr/NbOfTxs')).toBe('2');
    expect(text(doc, 'CstmrDrctDbtInitn/GrpHdr/CtrlSum')).toBe('40.00');
    expect(all(doc, 'CstmrDrctDbtInitn/PmtInf').map((p) => text(p, 'PmtTpInf/SeqTp'))).toEqual(['FRST']);
    expect(text(doc, 'CstmrDrctDbtInitn/PmtInf/CdtrSchmeId/Id/PrvtId/Othr/Id')).toBe('FR72ZZZ123456');
    validateWithXsd(file.text, 'pain.008.001.02.xsd');
  });

  it('calls the dues on 411 the day the batch is built, gift part by the month rule', async () => {
    const [b] = await t.sql<{ id: string }>(`SELECT id FROM direct_debit_batches WHERE caisse_id = $1 AND period = '2026-02'`, [caisseId]);
    const got = (await t.http.get(url(`/direct-debit-batches/${b.id}`)).set(bearer(token))).body;
    expect(got).toMatchObject({ status: 'built', builtOn: today, collectionDate, settledOn: null });
    const contribution = (await t.http.get(url(`/contributions/${got.items[0].contributionId}`)).set(bearer(token))).body;
    const [entry] = await t.sql<{ d: string }>(`SELECT to_char(entry_date, 'YYYY-MM-DD') AS d FROM journal_entries WHERE id = $1`, [contribution.entryId]);
    expect(entry.d).toBe(today);
    const lines = await entryLines(t, contribution.entryId);
    expect(lines.map((l) => [l.code.replace(/-.*/, '-M'), l.debit, l.credit])).toEqual([
      ['411-M', '30.00', '0.00'],
      ['756', '0.00', '30.00'],
    ]);
  });

  it('a return reverses the contribution, flags the member and sends the next debit as FRST again', async () => {
    const [b] = await t.sql<{ id: string }>(`SELECT id FROM direct_debit_batches WHERE caisse_id = $1 AND period = '2026-02'`, [caisseId]);
    const before = (await t.http.get(url(`/direct-debit-batches/${b.id}`)).set(bearer(token))).body;
    const item = before.items.find((i: { memberId: string }) => i.memberId === members[0]);
    const res = await t.http.post(url(`/direct-debit-batches/${b.id}/returns`)).set(bearer(token)).send({ endToEndId: item.endToEndId, reasonCode: 'AM04', returnedOn: collectionDate });
    expect(res.status).toBe(201);
    expect(res.body.items.find((i: { memberId: string }) => i.memberId === members[0])).toMatchObject({ returnedOn: collectionDate, returnReason: 'AM04', returnEntryId: null });
    const contribution = (await t.http.get(url(`/contributions/${item.contributionId}`)).set(bearer(token))).body;
    expect(contribution.reversedAt).not.toBeNull();
    const [reversal] = await t.sql<{ id: string; entry_date: string }>(`SELECT id, to_char(entry_date, 'YYYY-MM-DD') AS entry_date FROM journal_entries WHERE reverses_entry_id = $1`, [contribution.entryId]);
    expect(reversal.entry_date).toBe(collectionDate);
    // Returned before the batch was settled: the call is reversed, nothing had reached 512.
    expect((await entryLines(t, reversal.id)).map((l) => [l.code.replace(/-.*/, '-M'), l.debit, l.credit])).toEqual([
      ['411-M', '0.00', '30.00'],
      ['756', '30.00', '0.00'],
    ]);
    expect(await status(members[0], '2026-02')).toBe('due');
    const again = await t.http.post(url(`/direct-debit-batches/${b.id}/returns`)).set(bearer(token)).send({ endToEndId: item.endToEndId, reasonCode: 'AM04', returnedOn: collectionDate });
    expect(again.status).toBe(409);
    const mandates = (await t.http.get(url('/mandates')).set(bearer(token))).body;
    expect(mandates.find((m: { memberId: string }) => m.memberId === members[0])).toMatchObject({ nextSequenceType: 'FRST', flagReason: `AM04 on ${item.endToEndId}` });

    const march = await batch('2026-03');
    expect(march.body.items.map((i: { memberId: string; sequenceType: string }) => [i.memberId, i.sequenceType])).toEqual([
      [members[0], 'FRST'],
      [members[1], 'RCUR'],
    ]);
  });
});
