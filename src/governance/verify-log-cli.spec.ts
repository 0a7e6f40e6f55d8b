import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventHash, GENESIS_HASH } from './log-hash.js';
import { verifyLogFile } from './verify-log-cli.js';

describe('standalone governance log verifier', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gov-log-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const first = { seq: 1, kind: 'decision.created', payload: { title: 'Motion' }, recordedAt: '2026-11-26T10:00:00.000Z', prevHash: GENESIS_HASH };
  const events = [{ ...first, hash: eventHash(first) }];

  it('accepts an intact chain (exit 0) and prints its head', () => {
    expect(verifyLogFile(file('ok.json', JSON.stringify(events)))).toEqual({ code: 0, lines: [`OK: 1 event(s), chain intact, head ${events[0].hash}`] });
  });
  it('reports a rewritten event (exit 1)', () => {
    const forged = [{ ...events[0], payload: { title: 'Autre' } }];
    expect(verifyLogFile(file('forged.json', JSON.stringify(forged))).code).toBe(1);
  });
  it.each([['not JSON', '{'], ['not an array', '{}']])('refuses a file that is %s (exit 2)', (_, content) => {
    expect(verifyLogFile(file(`bad-${content.length}.json`, content)).code).toBe(2);
  });
});
