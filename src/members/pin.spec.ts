import argon2 from 'argon2';
import { parsePinKeys, type PinKey } from '../config/index.js';
import { PinDigests } from './pin.js';

const key = (id: string, fill: string): PinKey => ({ id, secret: Buffer.from(fill.repeat(32)) });
const OLD = key('k1', 'a');
const NEW = key('k2', 'b');
const ALICE = '0b0c3c2e-9d1f-4f6a-8d4e-2f1a3b4c5d6e';
const BOB = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('PIN digests', () => {
  const current = new PinDigests([NEW, OLD]);
  const retired = new PinDigests([OLD]);

  it('writes hmac$<current key id>$<base64 of 32 bytes>, never the PIN, different per member', () => {
    const digest = current.digest(ALICE, '4821');
    expect(digest).toMatch(/^hmac\$k2\$[A-Za-z0-9+/]{43}=$/);
    expect(digest).not.toContain('4821');
    expect(current.digest(BOB, '4821')).not.toBe(digest);
    expect(current.digest(ALICE, '4821')).toBe(digest);
    expect(new PinDigests([key('k2', 'c')]).digest(ALICE, '4821')).not.toBe(digest);
  });

  const digestOld = retired.digest(ALICE, '4821');
  const digestNew = current.digest(ALICE, '4821');
  it.each([
    ['current key, right PIN', digestNew, ALICE, '4821', { matches: true, rehashed: null }],
    ['current key, wrong PIN', digestNew, ALICE, '4822', { matches: false, rehashed: null }],
    ["current key, another member's digest", digestNew, BOB, '4821', { matches: false, rehashed: null }],
    ['old key, right PIN: re-keyed', digestOld, ALICE, '4821', { matches: true, rehashed: digestNew }],
    ['old key, wrong PIN', digestOld, ALICE, '0000', { matches: false, rehashed: null }],
    ['key id no longer configured', digestNew.replace('$k2$', '$k9$'), ALICE, '4821', { matches: false, rehashed: null }],
    ['truncated digest', digestNew.slice(0, -4), ALICE, '4821', { matches: false, rehashed: null }],
    ['extra field', `${digestNew}$x`, ALICE, '4821', { matches: false, rehashed: null }],
    ['empty', '', ALICE, '4821', { matches: false, rehashed: null }],
    ['not a digest', 'not a hash', ALICE, '4821', { matches: false, rehashed: null }],
  ])('%s', async (_, stored, member, pin, expected) => {
    expect(await current.check(stored, member, pin)).toEqual(expected);
  });

  it('accepts an argon2id hash from before once, with the HMAC digest to store instead', async () => {
    const legacy = await argon2.hash('4821', { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await current.check(legacy, ALICE, '4821')).toEqual({ matches: true, rehashed: digestNew });
    expect(await current.check(legacy, ALICE, '4822')).toEqual({ matches: false, rehashed: null });
    expect(await current.check('$argon2id$garbage', ALICE, '4821')).toEqual({ matches: false, rehashed: null });
  });

  it('never matches in the dummy check of an unknown card', () => {
    expect(current.dummyCheck('4821')).toBe(false);
  });
});

describe('PIN_KEYS', () => {
  const s = 'x'.repeat(32);
  it.each([
    [`k1:${s}`, ['k1']],
    [`k2:${s}y,k1:${s}`, ['k2', 'k1']],
    [`2025-06_a:${s}:with:colons`, ['2025-06_a']],
    [`k1:${s.slice(1)}`, undefined],
    [`k1:${s},k1:${s}`, undefined],
    [`:${s}`, undefined],
    [`k$1:${s}`, undefined],
    [`${'k'.repeat(17)}:${s}`, undefined],
    [`k1:${s},`, undefined],
    [s, undefined],
  ])('%s → %j', (raw, ids) => {
    expect(parsePinKeys(raw)?.map((k) => k.id)).toEqual(ids);
  });

  it('keeps the secret bytes as given', () => {
    expect(parsePinKeys(`k1:${s}`)![0].secret.equals(Buffer.from(s))).toBe(true);
  });
});
