#!/usr/bin/env node
/**
 * Standalone verifier of a published enrolment draw: no database, no server, only this file and its siblings in
 * src/common/sortition. Usage: `npm run verify-draw -- draw.json` (the JSON of GET …/enrolment-draws/{id}/published,
 * or of GET …/enrolment-draws/{id}, whose `published` member is used). Exit code 0 when the draw is reproduced.
 */
import { readFileSync } from 'node:fs';
import { verifyPublishedDraw } from './verify.js';

function main(argv: string[]): number {
  const path = argv[0];
  if (!path || argv.length > 1) {
    process.stderr.write('usage: verify-draw <published-draw.json>\n');
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    process.stderr.write(`cannot read ${path}: ${(e as Error).message}\n`);
    return 2;
  }
  const published = doc && typeof doc === 'object' && 'published' in doc ? (doc as { published: unknown }).published : doc;
  const meta = (published ?? {}) as { drawId?: string; label?: string; algorithm?: string };
  process.stdout.write(`Draw ${meta.drawId ?? '(no id)'}${meta.label ? ` "${meta.label}"` : ''} — ${meta.algorithm ?? 'unknown algorithm'}\n`);
  const report = verifyPublishedDraw(published);
  for (const c of report.checks) process.stdout.write(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  process.stdout.write(report.reproduced ? 'REPRODUCED: the published panel and waitlist follow from the published inputs.\n' : 'NOT REPRODUCED\n');
  return report.reproduced ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
