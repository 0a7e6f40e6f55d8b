import { canonicalJson, eventHash, GENESIS_HASH, type LogEvent, verifyChain } from './log-hash.js';

function chain(n: number) {
  const out: (LogEvent & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = { seq, kind: 'decision.closed', payload: { n: seq, b: [1, { z: 1, a: 2 }] }, recordedAt: `2026-11-0${seq}T10:00:00.000Z`, prevHash: prev };
    const hash = eventHash(e);
    out.push({ ...e, hash });
    prev = hash;
  }
  return out;
}

describe('hash-chained governance log', () => {
  it('canonical JSON sorts keys at every level', () => expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}'));
  it('an intact chain verifies, and an empty one too', () => {
    expect(verifyChain(chain(4))).toMatchObject({ ok: true, events: 4, brokenAt: null });
    expect(verifyChain([])).toMatchObject({ ok: true, head: GENESIS_HASH });
  });
  it.each<[string, (c: ReturnType<typeof chain>) => void, number]>([
    ['an edited payload', (c) => (c[1].payload = { n: 99 }), 2],
    ['a removed event (event 4 found where 3 was due)', (c) => c.splice(2, 1), 4],
    ['a rewritten hash', (c) => (c[3].hash = 'f'.repeat(64)), 4],
    ['a swapped pair', (c) => ([c[0], c[1]] = [c[1], c[0]]), 2],
  ])('%s breaks the chain', (_, tamper, at) => {
    const c = chain(4);
    tamper(c);
    const check = verifyChain(c);
    expect(check.ok).toBe(false);
    expect(check.brokenAt).toBe(at);
  });
});
