// `npm start`: compiles only when a source is newer than the last build, then runs the server. A full `tsc` check
// takes seconds even when nothing changed; comparing modification times takes milliseconds, so a start with nothing
// changed serves /api/health in about the time the server itself needs.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist/.tsbuildinfo');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  // never built
}
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'migrations')), statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs);
if (sources > built) {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // tsc leaves its build info untouched when a newer file changed nothing: mark the build as current anyway.
  const now = new Date();
  utimesSync(stamp, now, now);
}
// The server in this process: signals (Ctrl-C, SIGTERM) reach it directly.
await import(join(root, 'dist/src/main.js'));
