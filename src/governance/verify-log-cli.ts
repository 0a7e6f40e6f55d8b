#!/usr/bin/env node
/**
 * Standalone verifier of a caisse's governance log: no database, no server, only this file and log-hash.ts. Save
 * GET /api/v1/caisses/{caisseId}/register/log (all pages, in order) as a JSON array and run
 * `npm run verify-log -- log.json` (or `node dist/src/governance/verify-log-cli.js log.json` after `npm run build`). Exit code 0 when the chain holds; the
 * printed head hash lets two citizens compare what they each downloaded.
 */
import { readFileSync } from 'node:fs';
import { type LogEvent, verifyChain } from './log-hash.js';

export function verifyLogFile(path: string): { code: number; lines: string[] } {
  let events: unknown;
  try {
    events = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { code: 2, lines: [`cannot read ${path}: ${(e as Error).message}`] };
  }
  if (!Array.isArray(events)) return { code: 2, lines: ['the file must hold the JSON array of log events'] };
  const check = verifyChain(events as (LogEvent & { hash: string })[]);
  return check.ok
    ? { code: 0, lines: [`OK: ${check.events} event(s), chain intact, head ${check.head}`] }
    : { code: 1, lines: [`BROKEN at event ${check.brokenAt}: ${check.problem}`, `last valid head ${check.head}`] };
}

// Run only as a script, not when a test imports the function.
if (process.argv[1]?.endsWith('verify-log-cli.js')) {
  const [path, ...rest] = process.argv.slice(2);
  if (!path || rest.length) {
    process.stderr.write('usage: verify-log-cli <governance-log.json>\n');
    process.exitCode = 2;
  } else {
    const { code, lines } = verifyLogFile(path);
    for (const line of lines) (code === 0 ? process.stdout : process.stderr).write(`${line}\n`);
    process.exitCode = code;
  }
}
