// Shared by the purchase benches (purchases.mjs, operating.mjs): HTTP calls to the built server and the set-up of a
// bench caisse (outlets conventionnées with terminals, funded members), all through the public API.
import http from 'node:http';
import { randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

export const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 64);
export const HOT_WALLETS = 4;
export const PIN = '4821';
/** A PIN above 50.00 only (as contactless cards): purchases of 3.55 pay with the card alone. */
export const NO_PIN_BELOW_50 = { pinPolicy: 'above-amount', pinAbove: '50.00', maxAmount: '500.00', refundWindowDays: 7 };

// Valid SIRET (Luhn) and French IBAN (RIB key + mod 97), as the outlets module checks them.
const digits = (n) => Array.from({ length: n }, () => randomInt(10)).join('');
const luhnDigit = (p) => [...'0123456789'].find((d) => [...(p + d)].reverse().reduce((s, x, i) => s + (i % 2 ? ((2 * x) % 10) + Math.floor((2 * x) / 10) : Number(x)), 0) % 10 === 0);
const siret = () => { const h = `${randomInt(1, 10)}${digits(7)}`; const s = h + luhnDigit(h); const n = digits(4); return s + n + luhnDigit(s + n); };
const mod97 = (s) => [...s].reduce((r, c) => [...(/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)].reduce((q, d) => (q * 10 + Number(d)) % 97, r), 0);
function iban() {
  const [b, g, a] = [digits(5), digits(5), digits(11)];
  const bban = `${b}${g}${a}${String(97 - ((89 * Number(b) + 15 * Number(g) + 3 * Number(a)) % 97)).padStart(2, '0')}`;
  return `FR${String(98 - mod97(`${bban}FR00`)).padStart(2, '0')}${bban}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: TERMINALS + 8 });
export function call(port, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json', ...(data ? { 'content-length': Buffer.byteLength(data) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
export async function must(p, status, what) {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function setup(port, adminPassword, slug) {
  const { accessToken } = await must(call(port, 'POST', '/api/v1/auth/login', { email: 'admin@caisse.local', password: adminPassword }), 200, 'login');
  const auth = { Authorization: `Bearer ${accessToken}` };
  const caisse = await must(call(port, 'POST', '/api/v1/caisses', { name: 'Caisse de banc d’essai', slug }, auth), 201, 'caisse');
  const base = `/api/v1/caisses/${caisse.id}`;
  // First a PIN above 50.00 only (as contactless cards): the distinct and hot phases pay 3.55 with the card alone.
  await must(call(port, 'PUT', `${base}/purchase-settings`, NO_PIN_BELOW_50, auth), 200, 'settings');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const reviewOn = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const keys = [];
  const outlets = Math.max(1, Math.ceil(TERMINALS / 8));
  for (let o = 0; o < outlets; o++) {
    const outlet = await must(call(port, 'POST', `${base}/outlets`, { legalName: `EARL Banc ${o}`, name: `Ferme du banc ${o}`, siret: siret(), kind: 'producer', commune: '34142', communeName: 'Lodève', iban: iban() }, auth), 201, 'outlet');
    const ob = `${base}/outlets/${outlet.id}`;
    await must(call(port, 'POST', `${ob}/places`, { kind: 'shop', label: 'Boutique', commune: '34142', hours: [{ weekday: 2, opens: '09:00', closes: '12:00' }] }, auth), 201, 'place');
    await must(call(port, 'POST', `${ob}/transitions`, { to: 'dossier-complete', reason: 'Dossier' }, auth), 201, 'dossier');
    await must(call(port, 'POST', `${ob}/transitions`, { to: 'conventionne', reason: 'Décision', decisionRef: 'CC-1', decisionMinutes: 'Consentement.', reviewOn }, auth), 201, 'conventionne');
    await must(call(port, 'POST', `${ob}/coverage`, { effectiveFrom: today, rates: [{ category: 'fruits-legumes', rate: '1' }, { category: '*', rate: '0.70' }] }, auth), 201, 'coverage');
    for (let k = 0; k < 8 && keys.length < TERMINALS; k++) keys.push((await must(call(port, 'POST', `${ob}/terminals`, { label: `Caisse ${k}` }, auth), 201, 'terminal')).apiKey);
  }
  const cards = [];
  for (let i = 0; i < TERMINALS + HOT_WALLETS; i++) {
    const m = await must(call(port, 'POST', `${base}/members`, { firstName: 'Banc', lastName: `Essai ${i}`, commune: '34172', status: 'active', joinedOn: '2026-01-05', household: { adults: 1, childrenBirthYears: [] }, pin: PIN }, auth), 201, 'member');
    const funding = { journal: 'ALL', date: today, label: 'Dotation', pieceRef: 'BENCH', lines: [{ account: '6571', debit: '999999.00' }, { account: m.walletAccount, credit: '999999.00' }] };
    await must(call(port, 'POST', `${base}/ledger/entries`, funding, { ...auth, 'Idempotency-Key': randomUUID() }), 201, 'funding');
    cards.push({ card: m.cardNumber, memberId: m.id });
  }
  return { caisseId: caisse.id, base, auth, keys, distinct: cards.slice(0, TERMINALS), hot: cards.slice(TERMINALS) };
}

export async function freePort() {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}
