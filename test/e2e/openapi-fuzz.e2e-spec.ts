import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { todayInFrance } from '../../src/common/dates.js';
import { bearer, memberLogin } from '../support/member-fixtures.js';
import { buyer, shop, type Shop } from '../support/purchase-fixtures.js';
import { createContributor } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The outside probe's five causes of 500, as a table over every operation of the OpenAPI document: deep JSON, NUL,
 * lone surrogates, `[[]]` / `[null]` / `null` where a list or a value is expected, absurd dates and amounts,
 * upper-case ids, garbage path and query values — under every identity. Any 5xx fails the suite.
 */

type Json = Record<string, unknown>;
type Schema = Json & { $ref?: string; type?: string; format?: string; example?: unknown; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; oneOf?: Schema[]; allOf?: Schema[]; minimum?: number; nullable?: boolean };
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
type Path = (string | number)[];
interface Sent {
  method: string;
  url: string;
  variant: string;
  status: number;
  code?: string;
}

const DEPTH = 5000;
const ABSURD_DATES = ['9999-12-31', '0000-01-01', '2026-02-30'];
const ABSURD_AMOUNTS = ['9999999999999999.99', '-0.00', '1e400', '0.001'];
const GARBAGE_IDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', "1'%20OR%201=1", '%00', '%ED%A0%80', 'x'.repeat(180)];
const QUERY_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%F0%9F', ...ABSURD_DATES, '1e400', '-1', '0', '99999999999999999999', '[[]]', '', 'null', 'X'.repeat(500)];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTITIES = ['admin', 'treasurer', 'committee', 'cashier', 'terminal', 'member-user', 'member-card', 'platform', 'anonymous'] as const;
type Identity = (typeof IDENTITIES)[number];

describe('OpenAPI fuzz: no 5xx for any input (e2e)', () => {
  let t: TestApp;
  let doc: Doc;
  let s: Shop;
  let base: string;
  let agent: http.Agent;
  const auth = {} as Record<Identity, Record<string, string>>;
  const ids: Record<string, string> = {};
  const sent: Sent[] = [];

  /** One request over the bounded keep-alive agent; the status is all the fuzz needs (and the problem code). */
  const send = (method: string, url: string, variant: string, headers: Record<string, string>, body?: string | Buffer, contentType = 'application/json') =>
    new Promise<Sent>((resolve, reject) => {
      const h: Record<string, string | number> = { ...headers };
      if (body !== undefined) Object.assign(h, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
      if (method !== 'GET' && method !== 'DELETE') h['idempotency-key'] = `fz-${randomUUID()}`;
      const req = http.request(`${base}${url}`, { method, headers: h, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          const r = { method, url, variant, status: res.statusCode ?? 0, code };
          sent.push(r);
          resolve(r);
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });

  /** Runs the jobs a few at a time: the app keeps its own pools small. */
  const pool = async (jobs: (() => Promise<unknown>)[], width = 4) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
  };

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map(resolve), { ...schema, allOf: undefined }) as Schema;
    if (schema.oneOf?.length) return resolve(schema.oneOf[0]);
    return schema;
  };

  const isDate = (name: string, sc: Schema) => sc.format === 'date' || (typeof sc.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(sc.example)) || /(On|Date|^date|^from|^to|^at)$/.test(name);
  const isMoney = (name: string, sc: Schema) => (typeof sc.example === 'string' && /^-?\d+\.\d{2}$/.test(sc.example)) || /amount|price|floor|ceiling/i.test(name);
  const isId = (name: string, sc: Schema) => sc.format === 'uuid' || /Id$/.test(name);

  /** A plausible value: the documented example, else the real id of that name, else a typed default. */
  const sample = (name: string, raw: Schema | undefined, depth = 0): unknown => {
    const sc = resolve(raw);
    if (isId(name, sc) && sc.type === 'string') return ids[name] ?? ids.memberId;
    if (sc.example !== undefined) return structuredClone(sc.example);
    if (sc.enum?.length) return sc.enum[0];
    switch (sc.type) {
      case 'string':
        return isDate(name, sc) ? todayInFrance() : isMoney(name, sc) ? '1.00' : 'Texte';
      case 'number':
      case 'integer':
        return sc.minimum ?? 1;
      case 'boolean':
        return false;
      case 'array':
        return depth > 4 ? [] : [sample(name, sc.items, depth + 1)];
      default:
        if (!sc.properties || depth > 4) return {};
        return Object.fromEntries((sc.required ?? []).map((k) => [k, sample(k, sc.properties![k], depth + 1)]));
    }
  };

  /** Every property reachable in a body schema (nested objects, the first item of lists), with its schema. */
  const fields = (raw: Schema | undefined, at: Path = [], depth = 0): { path: Path; name: string; schema: Schema }[] => {
    const sc = resolve(raw);
    if (depth > 4) return [];
    const out: { path: Path; name: string; schema: Schema }[] = [];
    for (const [name, prop] of Object.entries(sc.properties ?? {})) {
      const p = resolve(prop);
      out.push({ path: [...at, name], name, schema: p });
      if (p.type === 'array') out.push(...fields(p.items, [...at, name, 0], depth + 1));
      else if (p.properties) out.push(...fields(p, [...at, name], depth + 1));
    }
    return out;
  };

  /** The seed body with one value replaced, the parents of that value created from the schema where absent. */
  const bodyWith = (seed: unknown, root: Schema, path: Path, value: unknown): Json => {
    const body = structuredClone(seed) as Json;
    let node: Record<string | number, unknown> = body;
    let sc = resolve(root);
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i];
      const child = typeof key === 'number' ? resolve(sc.items) : resolve(sc.properties?.[key]);
      const nextIsIndex = typeof path[i + 1] === 'number';
      if (node[key] === null || typeof node[key] !== 'object') node[key] = nextIsIndex ? [] : sample(String(key), child);
      if (nextIsIndex && !Array.isArray(node[key])) node[key] = [];
      if (nextIsIndex && (node[key] as unknown[]).length === 0) (node[key] as unknown[]).push(sample(String(key), child.items));
      node = node[key] as Record<string | number, unknown>;
      sc = child;
    }
    node[path[path.length - 1]] = value;
    return body;
  };

  /** Seeds that pass validation on the routes where a deeper path matters (the till, the books, the funders). */
  const seeds = (): Record<string, Json> => ({
    'POST /api/v1/caisses/{caisseId}/purchases': { card: ids.card, pin: '4821', amount: '1.00' },
    'POST /api/v1/caisses/{caisseId}/purchases/{purchaseId}/refunds': { amount: '0.50', reason: 'Retour' },
    'POST /api/v1/caisses/{caisseId}/ledger/entries': {
      journal: 'OD',
      date: todayInFrance(),
      label: 'Écriture',
      pieceRef: 'FZ-1',
      lines: [
        { account: '6571', debit: '1.00' },
        { account: ids.walletAccount, credit: '1.00' },
      ],
    },
    'POST /api/v1/caisses/{caisseId}/grants/{grantId}/tranches': { amount: '10.00', receivedOn: '2027-02-15' },
    'POST /api/v1/caisses/{caisseId}/contributions': { contributorId: ids.contributorId, amount: '30.00', method: 'transfer', receivedOn: todayInFrance() },
    'POST /api/v1/caisses/{caisseId}/voucher-batches': { count: 1, faceValue: '1.00', memberId: ids.memberId },
    'POST /api/v1/caisses/{caisseId}/users': { email: `fz-${randomUUID().slice(0, 8)}@test.caisse`, password: 'long-enough-password', role: 'member' },
    'POST /api/v1/caisses/{caisseId}/grants': { contributorId: ids.contributorId, amount: '100.00', from: '2027-01-01', to: '2027-12-31', reference: `FZ-${randomUUID().slice(0, 6)}` },
  });

  const fillPath = (path: string, pick: (name: string) => string) => path.replace(/\{([^}]+)\}/g, (_m, name: string) => pick(name));
  const realId = (name: string) => ids[name] ?? randomUUID();

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/api/docs-json')).body as Doc;
    s = await shop(t);
    const m = await buyer(t, s, '50.00');
    Object.assign(ids, { caisseId: s.caisseId, outletId: s.outlet.id, memberId: m.id, card: m.cardNumber!, walletAccount: m.walletAccount! });
    const bought = await t.http.post(`/api/v1/caisses/${s.caisseId}/purchases`).set('X-Api-Key', s.apiKey).set('Idempotency-Key', `fz-${randomUUID()}`).send({ card: m.cardNumber, pin: '4821', amount: '5.00' });
    if (bought.status !== 201) throw new Error(`purchase failed: ${bought.status} ${JSON.stringify(bought.body)}`);
    Object.assign(ids, { purchaseId: bought.body.id, entryId: bought.body.entryId });
    ids.contributorId = (await createContributor(t, s.caisseId, s.tokens.treasurer, { kind: 'foundation', name: 'Fondation Fuzz' })).id;
    const grant = await t.http
      .post(`/api/v1/caisses/${s.caisseId}/grants`)
      .set(bearer(s.tokens.treasurer))
      .send({ contributorId: ids.contributorId, amount: '1000.00', from: '2027-01-01', to: '2027-12-31', reference: 'FZ-GRANT' });
    if (grant.status !== 201) throw new Error(`grant failed: ${grant.status} ${JSON.stringify(grant.body)}`);
    ids.grantId = grant.body.id;
    // Whatever else exists in this caisse, by the name its path parameter has.
    const harvest: Record<string, string> = {
      keyId: 'SELECT id FROM api_keys WHERE caisse_id = $1',
      terminalId: 'SELECT id FROM api_keys WHERE caisse_id = $1',
      placeId: 'SELECT id FROM outlet_places WHERE caisse_id = $1',
      userId: 'SELECT user_id AS id FROM user_roles WHERE caisse_id = $1',
      contributionId: 'SELECT id FROM contributions WHERE caisse_id = $1',
      code: 'SELECT code AS id FROM ledger_accounts WHERE caisse_id = $1',
    };
    for (const [name, sql] of Object.entries(harvest)) {
      const [row] = await t.sql<{ id: string }>(`${sql} LIMIT 1`, [s.caisseId]);
      if (row) ids[name] = String(row.id);
    }

    const server = t.app.getHttpServer() as http.Server;
    // The test app already listens on a loopback port of its own.
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    Object.assign(auth, {
      admin: { authorization: `Bearer ${s.tokens.admin}` },
      treasurer: { authorization: `Bearer ${s.tokens.treasurer}` },
      committee: { authorization: `Bearer ${s.tokens.committee}` },
      cashier: { authorization: `Bearer ${s.tokens.cashier}` },
      terminal: { 'x-api-key': s.apiKey },
      'member-user': { authorization: `Bearer ${s.tokens.member}` },
      'member-card': { authorization: `Bearer ${await memberLogin(t, s.caisseId, m.cardNumber!, '4821')}` },
      platform: { authorization: `Bearer ${t.adminToken}` },
      anonymous: {},
    });
  }, 60_000);

  afterAll(async () => {
    agent?.destroy();
    await t?.close();
  });

  it('answers every operation, under every identity and every hostile input, without a 5xx', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
    expect(ops.length).toBeGreaterThan(100);
    // What revokes, erases, blocks or closes runs last, so it does not take the credentials from the rest.
    const destructive = (o: { method: string; path: string }) => o.method === 'DELETE' || /erase|block|cancel|closings|seals|logout|replacement|pin$/.test(o.path);
    ops.sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
    const seedFor = seeds();
    let bodies = 0;

    for (const { method, path, op } of ops) {
      const route = `${method} ${path}`;
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      const schema = contentType ? content[contentType].schema : undefined;
      const seed = seedFor[route] ?? (contentType === 'application/json' ? sample('body', schema) : undefined);
      const seedText = seed === undefined ? (contentType ? 'nom;prenom\n' : undefined) : JSON.stringify(seed);
      const url = fillPath(path, realId);

      // 1. Every identity, with the seed body: the first one the guard lets through carries the hostile inputs.
      let chosen: Identity = 'admin';
      let best = 0;
      for (const who of IDENTITIES) {
        const r = await send(method, url, `as ${who}`, auth[who], seedText, contentType);
        const rank = r.status === 401 || r.status === 403 ? 0 : r.status === 404 ? 1 : 2;
        if (rank > best) [chosen, best] = [who, rank];
      }
      const as = auth[chosen];

      // 2. Path parameters: upper-case real ids, unknown ids, garbage.
      const jobs: (() => Promise<unknown>)[] = [];
      for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1])) {
        const variants = [realId(name).toUpperCase(), randomUUID(), randomUUID().toUpperCase(), ...GARBAGE_IDS];
        for (const v of variants) jobs.push(() => send(method, fillPath(path, (n) => (n === name ? v : realId(n))), `path ${name}=${v.slice(0, 40)}`, as, seedText, contentType));
      }
      if (path.includes('{')) jobs.push(() => send(method, fillPath(path, (n) => realId(n).toUpperCase()), 'path all upper-case', as, seedText, contentType));

      // 3. Query parameters (and a repeated one, which arrives as a list).
      for (const q of (op.parameters ?? []).filter((p) => p.in === 'query')) {
        for (const v of QUERY_VALUES) jobs.push(() => send(method, `${url}?${q.name}=${v}`, `query ${q.name}=${v.slice(0, 20)}`, as, seedText, contentType));
        jobs.push(() => send(method, `${url}?${q.name}=1&${q.name}=2`, `query ${q.name} twice`, as, seedText, contentType));
        jobs.push(() => send(method, `${url}?${q.name}[a]=1`, `query ${q.name}[a]`, as, seedText, contentType));
        if (UUID.test(String(ids[q.name] ?? ''))) jobs.push(() => send(method, `${url}?${q.name}=${ids[q.name].toUpperCase()}`, `query ${q.name} upper-case`, as, seedText, contentType));
      }

      // 4. Bodies.
      if (contentType === 'application/json') {
        bodies++;
        const deep = (open: string, close: string) => `${open.repeat(DEPTH)}1${close.repeat(DEPTH)}`;
        jobs.push(() => send(method, url, 'body depth 5000 (objects)', as, deep('{"a":', '}')));
        jobs.push(() => send(method, url, 'body depth 5000 (lists)', as, deep('[', ']')));
        jobs.push(() => send(method, url, 'body null', as, 'null'));
        jobs.push(() => send(method, url, 'body [[]]', as, '[[]]'));
        jobs.push(() => send(method, url, 'body [null]', as, '[null]'));
        for (const f of fields(schema)) {
          const at = f.path.join('.');
          const put = (value: unknown, what: string) => jobs.push(() => send(method, url, `${at} ${what}`, as, JSON.stringify(bodyWith(seed, schema!, f.path, value))));
          const value = f.path.reduce<unknown>((node, k) => (node as Record<string | number, unknown> | undefined)?.[k], seed) ?? sample(f.name, f.schema);
          put(null, 'null');
          if (f.schema.type === 'array') {
            put([[]], '[[]]');
            put([null], '[null]');
            put([{}], '[{}]');
          }
          if (f.schema.type === 'object' || f.schema.properties) put([], 'a list for an object');
          if (f.schema.type === 'string' || typeof value === 'string') {
            const text = typeof value === 'string' ? value : 'Texte';
            put(`${text}\u0000`, 'NUL');
            put(`${text}\uD800`, 'lone high surrogate');
            put(`\uDC00${text}`, 'lone low surrogate');
            put(`${text}e\u0301😀\u0308`, 'NFD + emoji + combining');
            if (isDate(f.name, f.schema)) for (const d of ABSURD_DATES) put(d, `date ${d}`);
            if (isMoney(f.name, f.schema)) for (const a of ABSURD_AMOUNTS) put(a, `amount ${a}`);
            if (isId(f.name, f.schema)) {
              put(String(value).toUpperCase(), 'upper-case id');
              put(randomUUID(), 'unknown id');
            }
          }
          if (f.schema.type === 'number' || f.schema.type === 'integer') {
            put(1e308, 'huge number');
            put(-1, 'negative');
            put(1.5, 'fraction');
            put('1', 'number as text');
          }
        }
      } else if (contentType) {
        // Raw bodies (CSV, multipart): NUL and invalid UTF-8 in the bytes.
        jobs.push(() => send(method, url, 'raw NUL', as, Buffer.from('nom;prenom\nA\u0000;B\n'), contentType));
        jobs.push(() => send(method, url, 'raw lone surrogate bytes', as, Buffer.concat([Buffer.from('nom;prenom\nA'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(';B\n')]), contentType));
        jobs.push(() => send(method, url, 'raw garbage multipart', as, Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.pdf"\r\n\r\n%PDF\r\n--x--\r\n'), `${contentType}; boundary=x`));
        jobs.push(() => send(method, url, 'raw as JSON depth 5000', as, `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`));
      }
      await pool(jobs);
    }

    const classes: Record<string, number> = {};
    for (const r of sent) classes[`${String(r.status).slice(0, 1)}xx`] = (classes[`${String(r.status).slice(0, 1)}xx`] ?? 0) + 1;
    const failures = sent.filter((r) => r.status >= 500);
    console.log(
      [
        `OpenAPI fuzz: ${ops.length} operations (${bodies} with a JSON body), ${sent.length} requests`,
        `status classes: ${Object.entries(classes)
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
        `5xx: ${failures.length}`,
        ...failures.slice(0, 50).map((f) => `  ${f.status} ${f.code ?? ''} ${f.method} ${f.url.slice(0, 120)} [${f.variant}]`),
      ].join('\n'),
    );
    expect(sent.length).toBeGreaterThan(2000);
    expect(classes['4xx']).toBeGreaterThan(0);
    expect(classes['2xx']).toBeGreaterThan(0);
    expect(failures.map((f) => `${f.status} ${f.method} ${f.url.slice(0, 120)} [${f.variant}]`)).toEqual([]);
    // All the entries the fuzz got posted (upper-case ids, NFD, emoji, combining marks) still verify.
    const verify = await t.http.get(`/api/v1/caisses/${s.caisseId}/ledger/verify`).set(bearer(s.tokens.admin));
    expect(verify.status).toBe(200);
    expect(verify.body.checkedEntries).toBeGreaterThan(3);
    expect({ ok: verify.body.ok, problems: verify.body.problems }).toEqual({ ok: true, problems: [] });
  }, 600_000);
});
