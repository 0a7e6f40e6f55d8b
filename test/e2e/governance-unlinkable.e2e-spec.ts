import { ballotKey, seal, unseal } from '../../src/governance/ballot-seal.js';
import { closeDecision, openDecision, type Seat, seatCommittee, vote } from '../support/governance-fixtures.js';
import { bearer } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The attack of the hardening issue, replayed with database access and the ballot secret: joins on xmin (with
 * participation and with audit rows), xid adjacency, timestamps and row order must not tie one ballot to one voter.
 */
describe('secret ballots cannot be linked to their voters (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let seats: Seat[];

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    seats = await seatCommittee(t, caisseId, tokens.admin, 7);
  });
  afterAll(async () => t?.close());

  /** Every (ballot, member) pair a join on transaction ids can produce, for a ballot table. */
  const xminLinks = (table: 'sealed_ballots' | 'secret_ballots', decisionId: string) =>
    t.sql<{ id: string; member: string }>(
      `SELECT b.id, p.member_id::text AS member FROM ${table} b JOIN decision_participation p ON p.decision_id = b.decision_id AND p.xmin = b.xmin WHERE b.decision_id = $1
       UNION SELECT b.id, a.after->>'memberId' FROM ${table} b JOIN audit_log a ON a.xmin = b.xmin AND a.target_id = $1::text AND a.after ? 'memberId' WHERE b.decision_id = $1`,
      [decisionId],
    );
  const box = (decisionId: string) => t.sql<{ id: string; sealed: Buffer; xmin: string }>(`SELECT id, sealed, xmin::text AS xmin FROM sealed_ballots WHERE decision_id = $1 ORDER BY ctid`, [decisionId]);

  it('keeps ballots apart from participation and audit while open and after close', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', secret: true });
    const key = ballotKey(process.env.BALLOT_SECRET!, d.id);
    const receipts: string[] = [];
    let before: Awaited<ReturnType<typeof box>> = [];
    for (const [i, s] of seats.entries()) {
      const res = await vote(t, caisseId, d.id, s.token, { choice: i % 3 ? 'for' : 'against' });
      expect(res.status).toBe(201);
      receipts.push(res.body.receipt);
      const after = await box(d.id);
      expect(after).toHaveLength(i + 1);
      // One generation: all rows written by one transaction, shared with no participation or audit row.
      expect(new Set(after.map((b) => b.xmin)).size).toBe(1);
      expect(await xminLinks('sealed_ballots', d.id)).toEqual([]);
      // Every row is new (id and ciphertext), so comparing two snapshots does not point at the new ballot.
      expect(after.filter((b) => before.some((o) => o.id === b.id || o.sealed.equals(b.sealed)))).toEqual([]);
      before = after;
    }
    // Even holding the ballot secret, the box is an unordered set: the last receipt is not pinned to the last row.
    const opened = before.map((b) => unseal<{ receipt: string }>(key, d.id, b.sealed).receipt);
    expect([...opened].sort()).toEqual([...receipts].sort());
    const participation = await t.sql<{ ballot_pending: boolean; cast_at: unknown }>(`SELECT ballot_pending, cast_at FROM decision_participation WHERE decision_id = $1`, [d.id]);
    expect(participation.every((p) => !p.ballot_pending && p.cast_at === null)).toBe(true);

    expect((await closeDecision(t, caisseId, d.id, tokens.committee)).status).toBe(200);
    expect(await xminLinks('secret_ballots', d.id)).toEqual([]);
    const timeColumns = await t.sql(`SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('secret_ballots', 'sealed_ballots') AND data_type ~ 'time|date|int'`);
    expect(timeColumns).toEqual([]);
    const published = await t.http.get(`/api/v1/caisses/${caisseId}/register/decisions/${d.id}/ballots`);
    expect(published.body.map((b: { receipt: string }) => b.receipt).sort()).toEqual([...receipts].sort());
    // No audit row or log event carries a receipt, which would link it to the member audited in the same transaction.
    const traces = JSON.stringify(await t.sql(`SELECT after FROM audit_log WHERE target_id = $1 AND action <> 'governance.decision.close'`, [d.id]));
    for (const r of receipts) expect(traces).not.toContain(r);
  });

  it('recovers from a crash between participation and ballot: dropped if the ballot is missing, kept if it is in', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', secret: true });
    expect((await vote(t, caisseId, d.id, seats[0].token, { choice: 'for' })).status).toBe(201);
    // Crash 1: step 1 committed for seat 1, then the process died before its ballot reached the box.
    await t.sql(`INSERT INTO decision_participation (decision_id, member_id, secret, ballot_pending) VALUES ($1, $2, true, true)`, [d.id, seats[1].memberId]);
    expect((await vote(t, caisseId, d.id, seats[2].token, { choice: 'against' })).status).toBe(201);
    expect((await t.sql(`SELECT 1 FROM audit_log WHERE target_id = $1 AND action = 'governance.ballot.participation-dropped'`, [d.id])).length).toBe(1);
    expect((await vote(t, caisseId, d.id, seats[1].token, { choice: 'for' })).status).toBe(201);
    // Crash 2: seat 3's ballot reached the box, then the process died before confirming its participation.
    const key = ballotKey(process.env.BALLOT_SECRET!, d.id);
    await t.sql(`INSERT INTO decision_participation (decision_id, member_id, secret, ballot_pending) VALUES ($1, $2, true, true)`, [d.id, seats[3].memberId]);
    await t.sql(`INSERT INTO sealed_ballots (decision_id, sealed) VALUES ($1, $2)`, [d.id, seal(key, d.id, { receipt: 'CRASH2345678', content: { choice: 'for' } })]);
    expect((await vote(t, caisseId, d.id, seats[3].token, { choice: 'against' })).body.code).toBe('ALREADY_VOTED');
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.body.tally).toMatchObject({ participants: 4 });
    const tookPart = closed.body.electorate.filter((e: { tookPart: boolean }) => e.tookPart).map((e: { memberId: string }) => e.memberId).sort();
    expect(tookPart).toEqual(seats.slice(0, 4).map((s) => s.memberId).sort());
  });

  it('breaks majority-judgment ties with a nonce committed at creation and revealed only at close', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, {
      subject: 'motion', method: 'majority-judgment', options: ['A', 'B'], grades: ['Insuffisant', 'Passable', 'Bien'], threshold: 1, secret: true,
    });
    const [row] = await t.sql<{ commitment: string }>(`SELECT tie_break_commitment AS commitment FROM decisions WHERE id = $1`, [d.id]);
    expect(row.commitment).toMatch(/^[0-9a-f]{64}$/);
    for (const s of seats.slice(0, 4)) expect((await vote(t, caisseId, d.id, s.token, { grades: { A: 1, B: 1 } })).status).toBe(201);
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.status).toBe(200);
    const log = await t.http.get(`/api/v1/caisses/${caisseId}/register/log`).set(bearer(tokens.committee));
    const event = (log.body.items ?? log.body).find((e: { kind: string; payload: { decisionId: string } }) => e.kind === 'decision.closed' && e.payload.decisionId === d.id);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(event.payload.tieBreak.nonce).digest('hex')).toBe(row.commitment);
  });
});
