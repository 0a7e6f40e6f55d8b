// `npm run demo`: the app with its embedded PostgreSQL and Redis under a data directory of its own (.data-demo/, never
// a real caisse's), seeded once through the public HTTP API with the fictitious caisse of the Grand Autunois Morvan
// (src/demo/), then serving. Every start prints one login per role. Logins are random per data directory and kept in
// <data dir>/demo-logins.json. Knobs: DEMO_DATA_DIR, DEMO_SCALE (default 1), PORT, DEMO_PG_PORT, DEMO_REDIS_PORT.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = resolve(process.env.DEMO_DATA_DIR ?? join(root, '.data-demo'));
const stateFile = join(dataDir, 'demo-logins.json');
const port = Number(process.env.PORT ?? 3000);
const scale = Number(process.env.DEMO_SCALE ?? 1);
if (!(scale > 0 && scale <= 5)) {
  console.error(`DEMO_SCALE must be a number above 0 and at most 5 (got ${process.env.DEMO_SCALE})`);
  process.exit(2);
}

const secret = () => randomBytes(15).toString('base64url');
mkdirSync(dataDir, { recursive: true });
const state = existsSync(stateFile)
  ? JSON.parse(readFileSync(stateFile, 'utf8'))
  : {
      platformAdmin: { email: 'platform-admin@demo-autunois.example', password: secret() },
      passwords: { admin: secret(), treasurer: secret(), committee: secret(), cashier: secret(), member: secret() },
    };
const save = () => writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
save();

// Only the embedded servers: a DATABASE_URL or REDIS_URL left in the shell must never receive demo data.
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), ADMIN_EMAIL: state.platformAdmin.email, ADMIN_PASSWORD: state.platformAdmin.password };
delete env.DATABASE_URL;
delete env.REDIS_URL;
env.EMBEDDED_PG_PORT = process.env.DEMO_PG_PORT ?? '54339';
env.EMBEDDED_REDIS_PORT = process.env.DEMO_REDIS_PORT ?? '63809';

const server = spawn(process.execPath, [join(root, 'src/start.mjs')], { env, stdio: 'inherit' });
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    server.kill(signal);
  });
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const baseUrl = `http://127.0.0.1:${port}`;
async function healthy() {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
    if (stopping) return false;
    const status = await fetch(`${baseUrl}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer ${baseUrl}/api/health within 5 minutes`);
}

function banner(logins) {
  const shown = (path) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));
  const line = (label, value) => `  ${label.padEnd(22)} ${value}`;
  const card = logins.member.cardNumber.replace(/(\d{4})(?=\d)/g, '$1 ');
  return [
    '',
    '════ DÉMO — toutes les données sont FICTIVES (demo only, fictitious data) ════',
    `  ${logins.caisseName}`,
    line('URL', `http://localhost:${port}  (API docs: /api/docs, health: /api/health)`),
    line('caisse id', logins.caisseId),
    `  Logins — demo only, valid only with the data in ${shown(dataDir)} (kept in ${shown(stateFile)}):`,
    line('platform admin', `${logins.platformAdmin.email}  ${logins.platformAdmin.password}`),
    ...logins.users.map((u) => line(u.role, `${u.email}  ${u.password}${u.role === 'cashier' ? `  (staff of ${logins.terminal.outlet})` : ''}`)),
    line('member card + PIN', `${card}  PIN ${logins.member.pin}  (${logins.member.name}, POST …/members/login)`),
    line('till key (X-Api-Key)', `${logins.terminal.apiKey}  (${logins.terminal.outlet})`),
    '  Log in: POST /api/v1/auth/login {"email","password"} → Bearer token.  Ctrl-C stops the demo; the next',
    '  `npm run demo` restarts it on the same data without seeding again (remove the data directory to start over).',
    '═══════════════════════════════════════════════════════════════════════════════',
    '',
  ].join('\n');
}

try {
  if (await healthy()) {
    if (!state.logins) {
      const { seedDemo } = await import(join(root, 'dist/src/demo/demo-seed.js'));
      console.log(`demo: seeding the fictitious caisse through the API (DEMO_SCALE=${scale})…`);
      const outcome = await seedDemo({ baseUrl, platformAdmin: state.platformAdmin, passwords: state.passwords, scale, log: (m) => console.log(m) });
      if (!outcome.seeded) throw new Error(`the demo caisse exists but its logins are not in ${stateFile}: an earlier seed was interrupted. Stop, remove ${dataDir} and run npm run demo again.`);
      state.logins = outcome.logins;
      state.summary = outcome.summary;
      save();
      console.log(`demo: seeded ${JSON.stringify(outcome.summary)}`);
    }
    console.log(banner(state.logins));
  }
} catch (e) {
  console.error(`demo: ${e instanceof Error ? e.message : e}`);
  stopping = true;
  server.kill('SIGTERM');
}
