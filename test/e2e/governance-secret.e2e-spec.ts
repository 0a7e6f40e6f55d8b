import { closeDecision, openDecision, type Seat, seatCommittee, vote } from '../support/governance-fixtures.js';
import { bearer } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('secret ballots (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let seats: Seat[];

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    seats = await seatCommittee(t, caisseId, tokens.admin, 6);
  });
  afterAll(async () => t?.close());

  it('stores ballots so that no column, index, sequence or timestamp links them to participation', async () => {
    const columns = await t.sql<{ column_name: string; data_type: string; column_default: string | null }>(
      `SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_name = 'secret_ballots' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['content', 'decision_id', 'id', 'receipt']);
    expect(columns.filter((c) => /time|date|serial|int/.test(c.data_type) || /nextval/.test(c.column_default ?? ''))).toEqual([]);
    expect(columns.find((c) => c.column_name === 'id')?.column_default).toBe('gen_random_uuid()');
    const indexes = await t.sql<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'secret_ballots'`);
    expect(indexes.every((i) => !/member|user|time|seq/.test(i.indexdef))).toBe(true);
    const participation = await t.sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'decision_participation'`);
    // The only column the two tables share is the decision they belong to.
    expect(participation.map((c) => c.column_name).filter((c) => columns.some((b) => b.column_name === c))).toEqual(['decision_id']);
    const sealed = await t.sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'sealed_ballots' ORDER BY column_name`);
    expect(sealed.map((c) => c.column_name)).toEqual(['decision_id', 'id', 'sealed']);
  });

  it('hides results until close, gives receipts, refuses a second ballot even concurrently, and publishes by receipt', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', secret: true });
    const receipts: string[] = [];
    for (const [i, s] of seats.entries()) {
      const res = await vote(t, caisseId, d.id, s.token, { choice: i < 3 ? 'for' : 'against' });
      expect(res.status).toBe(201);
      expect(res.body.receipt).toMatch(/^[A-Z2-9]{12}$/);
      receipts.push(res.body.receipt);
    }
    const again = await Promise.all([vote(t, caisseId, d.id, seats[0].token, { choice: 'against' }), vote(t, caisseId, d.id, seats[0].token, { choice: 'against' })]);
    expect(again.map((r) => r.body.code)).toEqual(['ALREADY_VOTED', 'ALREADY_VOTED']);
    const open = await t.http.get(`/api/v1/caisses/${caisseId}/decisions/${d.id}`).set(bearer(tokens.committee));
    expect(open.body.tally).toBeNull();
    expect(open.body.electorate.every((e: { tookPart: boolean }) => e.tookPart)).toBe(true);
    expect((await t.http.get(`/api/v1/caisses/${caisseId}/register/decisions/${d.id}/ballots`)).status).toBe(409);

    // What anyone with database access sees: participation without content or time, ballots without voter.
    const part = await t.sql<{ open_ballot: unknown; cast_at: unknown }>(`SELECT open_ballot, cast_at FROM decision_participation WHERE decision_id = $1`, [d.id]);
    expect(part).toHaveLength(6);
    expect(part.every((p) => p.open_ballot === null && p.cast_at === null)).toBe(true);
    // While open, the ballots are sealed: neither receipts nor choices are readable, and nothing names a voter.
    expect(await t.sql(`SELECT 1 FROM secret_ballots WHERE decision_id = $1`, [d.id])).toHaveLength(0);
    const sealedRows = await t.sql<{ sealed: Buffer }>(`SELECT sealed FROM sealed_ballots WHERE decision_id = $1`, [d.id]);
    expect(sealedRows).toHaveLength(6);
    const raw = sealedRows.map((r) => r.sealed.toString('latin1')).join('|');
    for (const r of receipts) expect(raw).not.toContain(r);
    for (const s of seats) expect(raw).not.toContain(s.memberId);
    const audited = JSON.stringify(await t.sql(`SELECT * FROM audit_log WHERE target_id = $1`, [d.id]));
    for (const r of receipts) expect(audited).not.toContain(r);

    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.body.tally).toMatchObject({ outcome: 'rejected', suppressed: false, detail: { for: 3, against: 3 } });
    // After close: one transaction wrote every plain ballot, so not even the rows' xmin points at a vote.
    expect(await t.sql(`SELECT 1 FROM sealed_ballots WHERE decision_id = $1`, [d.id])).toHaveLength(0);
    const xmins = await t.sql<{ xmin: string }>(`SELECT DISTINCT xmin::text AS xmin FROM secret_ballots WHERE decision_id = $1`, [d.id]);
    expect(xmins).toHaveLength(1);
    const voteXmins = await t.sql<{ xmin: string }>(`SELECT xmin::text AS xmin FROM decision_participation WHERE decision_id = $1`, [d.id]);
    expect(voteXmins.map((x) => x.xmin)).not.toContain(xmins[0].xmin);
    const published = await t.http.get(`/api/v1/caisses/${caisseId}/register/decisions/${d.id}/ballots`);
    expect(published.status).toBe(200);
    expect(published.body.map((b: { receipt: string }) => b.receipt).sort()).toEqual([...receipts].sort());
  });

  it('publishes only the outcome when a count is too small to stay anonymous', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', secret: true });
    for (const [i, s] of seats.entries()) expect((await vote(t, caisseId, d.id, s.token, { choice: i === 0 ? 'against' : 'for' })).status).toBe(201);
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.body.tally).toMatchObject({ outcome: 'adopted', participants: 6, suppressed: true, detail: null });
    const published = await t.http.get(`/api/v1/caisses/${caisseId}/register/decisions/${d.id}/ballots`);
    expect(published.body.every((b: { content: unknown }) => b.content === null)).toBe(true);
  });

  it('closing is idempotent, also when two closes race', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'absolute-majority' });
    for (const s of seats.slice(0, 4)) expect((await vote(t, caisseId, d.id, s.token, { choice: 'for' })).status).toBe(201);
    const [a, b] = await Promise.all([closeDecision(t, caisseId, d.id, tokens.committee), closeDecision(t, caisseId, d.id, tokens.admin)]);
    const c = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(b.body.closedAt).toBe(a.body.closedAt);
    expect(c.body.tally).toEqual(a.body.tally);
    expect(a.body.tally).toMatchObject({ outcome: 'adopted', detail: { for: 4 } });
    const closes = await t.sql(`SELECT 1 FROM audit_log WHERE target_id = $1 AND action = 'governance.decision.close'`, [d.id]);
    expect(closes).toHaveLength(1);
    expect((await vote(t, caisseId, d.id, seats[5].token, { choice: 'for' })).body.code).toBe('DECISION_NOT_OPEN');
  });

  it('refuses a ballot from a member without a mandate, and from a committee user not linked to a member', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority' });
    expect((await vote(t, caisseId, d.id, tokens.committee, { choice: 'for' })).body.code).toBe('NOT_IN_ELECTORATE');
    expect((await vote(t, caisseId, d.id, tokens.admin, { choice: 'for' })).status).toBe(403);
  });
});
