import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { spawnSync } from 'node:child_process';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { servedRoutes } from '../../src/common/http/fastify-setup.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>;
  security?: Record<string, string[]>[];
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes?: Record<string, Json> };
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
const PROBLEM_REF = '#/components/schemas/ProblemDto';

/** Every route the app must serve and document; a route that disappears fails here. */
const EXPECTED_ROUTES = [
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/me',
  'POST /api/v1/caisses',
  'GET /api/v1/caisses',
  'GET /api/v1/caisses/{caisseId}',
  'POST /api/v1/caisses/{caisseId}/users',
  'GET /api/v1/caisses/{caisseId}/users',
  'POST /api/v1/caisses/{caisseId}/api-keys',
  'GET /api/v1/caisses/{caisseId}/api-keys',
  'DELETE /api/v1/caisses/{caisseId}/api-keys/{keyId}',
  'POST /api/v1/caisses/{caisseId}/rule-versions',
  'GET /api/v1/caisses/{caisseId}/rule-versions',
  'GET /api/v1/caisses/{caisseId}/rule-versions/in-force',
  'GET /api/v1/caisses/{caisseId}/audit',
  'POST /api/v1/caisses/{caisseId}/members',
  'GET /api/v1/caisses/{caisseId}/members',
  'GET /api/v1/caisses/{caisseId}/members/{memberId}',
  'PATCH /api/v1/caisses/{caisseId}/members/{memberId}',
  'POST /api/v1/caisses/{caisseId}/members/login',
  'POST /api/v1/caisses/{caisseId}/members/imports',
  'GET /api/v1/caisses/{caisseId}/members/{memberId}/wallet',
  'GET /api/v1/caisses/{caisseId}/members/{memberId}/export',
  'POST /api/v1/caisses/{caisseId}/members/{memberId}/erase',
  'POST /api/v1/caisses/{caisseId}/enrolment-draws',
  'GET /api/v1/caisses/{caisseId}/enrolment-draws/{drawId}',
  'GET /api/v1/caisses/{caisseId}/enrolment-draws/{drawId}/published',
  'POST /api/v1/caisses/{caisseId}/enrolment-draws/{drawId}/verify',
  'POST /api/v1/caisses/{caisseId}/outlets',
  'GET /api/v1/caisses/{caisseId}/outlets',
  'GET /api/v1/caisses/{caisseId}/outlets/review-due',
  'GET /api/v1/caisses/{caisseId}/outlets/{outletId}',
  'PATCH /api/v1/caisses/{caisseId}/outlets/{outletId}',
  'POST /api/v1/caisses/{caisseId}/outlets/{outletId}/transitions',
  'GET /api/v1/caisses/{caisseId}/outlets/{outletId}/history',
  'GET /api/v1/caisses/{caisseId}/outlets/{outletId}/acceptance',
  'POST /api/v1/caisses/{caisseId}/outlets/{outletId}/places',
  'POST /api/v1/caisses/{caisseId}/outlets/{outletId}/evidence',
  'POST /api/v1/caisses/{caisseId}/outlets/{outletId}/coverage',
  'POST /api/v1/caisses/{caisseId}/outlets/{outletId}/terminals',
  'DELETE /api/v1/caisses/{caisseId}/outlets/{outletId}/terminals/{terminalId}',
  'POST /api/v1/caisses/{caisseId}/outlets/{outletId}/staff',
  'POST /api/v1/caisses/{caisseId}/outlet-criteria',
  'POST /api/v1/caisses/{caisseId}/allocation-runs',
  'GET /api/v1/caisses/{caisseId}/allocation-runs',
  'GET /api/v1/caisses/{caisseId}/allocation-runs/{runId}',
  'GET /api/v1/caisses/{caisseId}/allocation-runs/{runId}/lines',
  'POST /api/v1/caisses/{caisseId}/allocation-runs/{runId}/cancel',
  'POST /api/v1/caisses/{caisseId}/allocation-runs/{runId}/catch-up',
  'POST /api/v1/caisses/{caisseId}/ledger/accounts',
  'PATCH /api/v1/caisses/{caisseId}/ledger/accounts/{code}',
  'GET /api/v1/caisses/{caisseId}/ledger/settings',
  'PATCH /api/v1/caisses/{caisseId}/ledger/settings',
  'GET /api/v1/caisses/{caisseId}/ledger/fiscal-years',
  'GET /api/v1/caisses/{caisseId}/bank-accounts',
  'POST /api/v1/caisses/{caisseId}/bank-accounts',
  'GET /api/v1/caisses/{caisseId}/bank-accounts/{account}',
  'PATCH /api/v1/caisses/{caisseId}/bank-accounts/{account}',
  'POST /api/v1/caisses/{caisseId}/deposits',
  'GET /api/v1/caisses/{caisseId}/deposits',
  'GET /api/v1/caisses/{caisseId}/deposits/{depositId}',
  'POST /api/v1/caisses/{caisseId}/bank-statements',
  'PUT /api/v1/caisses/{caisseId}/bank-accounts/{account}/csv-mapping',
  'POST /api/v1/caisses/{caisseId}/bank-accounts/{account}/auto-match',
  'GET /api/v1/caisses/{caisseId}/bank-statement-lines',
  'POST /api/v1/caisses/{caisseId}/bank-statement-lines/{lineId}/match',
  'POST /api/v1/caisses/{caisseId}/bank-statement-lines/{lineId}/accept-suggestion',
  'DELETE /api/v1/caisses/{caisseId}/bank-matches/{matchId}',
  'GET /api/v1/caisses/{caisseId}/reconciliation',
  'GET /api/health',
];

/** Routes whose absence of authentication is intended. */
const PUBLIC_ROUTES = [
  'POST /api/v1/auth/login',
  'POST /api/v1/caisses/{caisseId}/members/login',
  'GET /api/health',
  // The governance register: anyone may read and check democratic conventionnement without an account.
  'GET /api/v1/caisses/{caisseId}/register',
  'GET /api/v1/caisses/{caisseId}/register/log',
  'GET /api/v1/caisses/{caisseId}/register/log/verify',
  'GET /api/v1/caisses/{caisseId}/register/decisions/{decisionId}/ballots',
];

/** Handlers that read a raw body of another media type instead of a JSON DTO: documented, required, that type only. */
const RAW_BODY_ROUTES: Record<string, string> = { 'POST /api/v1/caisses/{caisseId}/members/imports': 'text/csv' };

/** Handlers that take a file upload: their @Body() DTO (the text fields and the file part) is documented as multipart/form-data only. */
const MULTIPART_ROUTES = ['POST /api/v1/caisses/{caisseId}/outlets/{outletId}/evidence', 'POST /api/v1/caisses/{caisseId}/settlement-runs/{runId}/status-report', 'POST /api/v1/caisses/{caisseId}/bank-statements'];

/** Error responses that are not problems on purpose: the health check answers its own body with 503. */
const NON_PROBLEM_ERRORS = ['GET /api/health 503'];

function operations(doc: OpenApiDoc): { route: string; path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, method, op })),
  );
}

/** Every { $ref } anywhere in the document, with where it was found. */
function collectRefs(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => collectRefs(v, `${at}/${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Json).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : collectRefs(v, `${at}/${k}`)));
}

/** Every schema object carrying a discriminator, anywhere under components. */
function collectDiscriminated(value: unknown, at = '#'): { at: string; schema: Json }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => collectDiscriminated(v, `${at}/${i}`));
  if (!value || typeof value !== 'object') return [];
  const here = (value as Json).discriminator ? [{ at, schema: value as Json }] : [];
  return [...here, ...Object.entries(value as Json).flatMap(([k, v]) => collectDiscriminated(v, `${at}/${k}`))];
}

/**
 * The routes the server really serves, as Fastify registered them: a controller added without being in the
 * document (e.g. @ApiExcludeEndpoint, or a hand-mounted handler) shows up here and fails the comparison.
 */
function mappedRoutes(t: TestApp): string[] {
  const routes = new Set<string>();
  for (const { method, url } of servedRoutes(t.app)) {
    if (url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs-')) continue; // Swagger UI's own
    if (url === '/api/ops/queues' || url === '/api/ops/queues/app.js') continue; // the queue dashboard's static page
    if (method === 'HEAD' || method === 'OPTIONS') continue; // Fastify adds HEAD beside every GET
    if (!url.startsWith('/api/')) continue; // the web pages (src/web) are HTML for browsers, not the API
    routes.add(`${method} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  }
  return [...routes].sort();
}

/** RouteParamtypes.BODY of @nestjs/common (the enum is not exported from the package root). */
const BODY_PARAM = 3;

/**
 * Every route handler of every controller, from Nest's own metadata, with the class its @Body() is validated
 * against (undefined when the handler reads no body).
 */
function routeHandlers(t: TestApp): { route: string; bodyType: string | undefined }[] {
  const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`;
  const out: { route: string; bodyType: string | undefined }[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) ?? '/'].flat() as string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value as object | undefined;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || paths === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
        const body = Object.entries(args).find(([key, arg]) => key.split(':')[0] === String(BODY_PARAM) && arg.data === undefined);
        const paramTypes = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as { name: string }[];
        const bodyType = body ? paramTypes[body[1].index]?.name : undefined;
        for (const prefix of prefixes) {
          for (const path of [paths].flat()) {
            if (!join(prefix, path).startsWith('/api/')) continue; // web pages: not the API
            out.push({ route: `${RequestMethod[method]} ${join(prefix, path).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`, bodyType });
          }
        }
      }
    }
  }
  return out;
}

describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.http.get('/api/docs-json');
    if (res.status !== 200) throw new Error(`GET /api/docs-json answered ${res.status}`);
    doc = res.body as OpenApiDoc;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is served as JSON without authentication, and is OpenAPI 3.x', async () => {
    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    for (const path of Object.keys(doc.paths)) {
      expect(path).toMatch(/^\//);
      expect(path).not.toMatch(/:[A-Za-z]/); // Express syntax leaking into the document
    }
  });

  it('passes a full OpenAPI 3 schema validation', async () => {
    // swagger-parser is CommonJS requiring ES modules, which Jest's loader cannot do on Node 20: plain node can.
    const script = `require('@apidevtools/swagger-parser').validate(JSON.parse(require('fs').readFileSync(0, 'utf8')))
      .then(() => console.log('valid'), (e) => { console.error(e.message); process.exit(1); })`;
    const run = spawnSync(process.execPath, ['-e', script], { input: JSON.stringify(doc), encoding: 'utf8', cwd: process.cwd() });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('valid');
  });

  it('serves the Swagger UI as HTML at /api/docs', async () => {
    const res = await t.http.get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/swagger-ui/i);
  });

  it('documents every route the app maps, and only those', () => {
    const documented = operations(doc)
      .map((o) => o.route)
      .sort();
    const mapped = mappedRoutes(t);
    expect(mapped.length).toBeGreaterThan(0);
    expect(documented).toEqual(mapped);
  });

  it('documents at least the known routes', () => {
    const documented = operations(doc).map((o) => o.route);
    expect(documented).toEqual(expect.arrayContaining(EXPECTED_ROUTES));
    expect(mappedRoutes(t)).toEqual(expect.arrayContaining(EXPECTED_ROUTES));
  });

  it('resolves every $ref to a schema in components.schemas', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    const schemas = Object.keys(doc.components.schemas);
    const broken = refs.filter(({ ref }) => !ref.startsWith('#/components/schemas/') || !schemas.includes(ref.slice('#/components/schemas/'.length)));
    expect(broken).toEqual([]);
  });

  it('gives every operation a unique operationId, a summary and a tag', () => {
    const ops = operations(doc);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const missing = ops.filter((o) => !o.op.summary || !o.op.tags?.length).map((o) => o.route);
    expect(missing).toEqual([]);
  });

  it('documents a 400 problem+json response on every operation', () => {
    const missing = operations(doc)
      .filter(({ op }) => op.responses['400']?.content?.['application/problem+json']?.schema?.$ref !== PROBLEM_REF)
      .map((o) => o.route);
    expect(missing).toEqual([]);
  });

  it('documents every error response as application/problem+json with the ProblemDto schema', () => {
    const wrong: string[] = [];
    for (const { route, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status) || NON_PROBLEM_ERRORS.includes(`${route} ${status}`)) continue;
        const types = Object.keys(response.content ?? {});
        if (types.length !== 1 || types[0] !== 'application/problem+json' || response.content!['application/problem+json'].schema?.$ref !== PROBLEM_REF) {
          wrong.push(`${route} ${status}: ${JSON.stringify(response.content)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('documents a successful response with a schema on every operation', () => {
    const missing = operations(doc)
      .filter(({ op }) => {
        const ok = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
        return ok.length === 0 || ok.some(([status, r]) => status !== '204' && !r.content?.['application/json']?.schema);
      })
      .map((o) => o.route);
    expect(missing).toEqual([]);
  });

  it('documents the request body of every handler that reads one, as a $ref to the DTO class it validates', () => {
    const wrong: string[] = [];
    const handlers = routeHandlers(t);
    // The metadata reading itself works: known handlers with and without a body.
    expect(handlers).toEqual(
      expect.arrayContaining([
        { route: 'POST /api/v1/auth/login', bodyType: 'LoginDto' },
        { route: 'POST /api/v1/caisses/{caisseId}/rule-versions', bodyType: 'CreateRuleVersionDto' },
        { route: 'GET /api/v1/caisses/{caisseId}/rule-versions', bodyType: undefined },
      ]),
    );
    for (const { route, bodyType } of handlers) {
      const op = doc.paths[route.slice(route.indexOf(' ') + 1)]?.[route.slice(0, route.indexOf(' ')).toLowerCase()];
      if (!op) {
        wrong.push(`${route}: not in the document`);
        continue;
      }
      const content = op.requestBody?.content;
      if (RAW_BODY_ROUTES[route]) {
        const types = Object.keys(content ?? {}).join();
        if (types !== RAW_BODY_ROUTES[route]) wrong.push(`${route}: body documented as ${types || 'nothing'}, handler reads ${RAW_BODY_ROUTES[route]}`);
        if (op.requestBody?.required !== true) wrong.push(`${route}: body not marked required`);
        continue;
      }
      if (bodyType === undefined) {
        if (content) wrong.push(`${route}: documents a body its handler never reads`);
        continue;
      }
      const mediaType = MULTIPART_ROUTES.includes(route) ? 'multipart/form-data' : 'application/json';
      const ref = content?.[mediaType]?.schema?.$ref;
      if (Object.keys(content ?? {}).join() !== mediaType) wrong.push(`${route}: body not documented as ${mediaType} only`);
      else if (ref !== `#/components/schemas/${bodyType}`) wrong.push(`${route}: body documented as ${ref}, handler validates ${bodyType}`);
      else if (!doc.components.schemas[bodyType]) wrong.push(`${route}: ${bodyType} missing from components.schemas`);
      if (op.requestBody?.required !== true) wrong.push(`${route}: body not marked required`);
    }
    expect(wrong).toEqual([]);
  });

  it('finds the same routes in the Nest controllers as in the Express router', () => {
    expect(
      routeHandlers(t)
        .map((h) => h.route)
        .sort(),
    ).toEqual(mappedRoutes(t));
  });

  it('declares every path parameter of every route as a required path parameter', () => {
    const wrong: string[] = [];
    for (const { route, path, op } of operations(doc)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of names) {
        if (!declared.some((p) => p.name === name && p.required === true)) wrong.push(`${route}: ${name} not declared`);
      }
      for (const p of declared) if (!names.includes(p.name)) wrong.push(`${route}: ${p.name} declared but not in the path`);
    }
    expect(wrong).toEqual([]);
  });

  it('requires authentication on every route but the public ones, with declared schemes', () => {
    const schemes = Object.keys(doc.components.securitySchemes ?? {});
    expect(schemes).toEqual(expect.arrayContaining(['bearer']));
    const wrong: string[] = [];
    for (const { route, op } of operations(doc)) {
      const used = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (PUBLIC_ROUTES.includes(route)) {
        if (used.length) wrong.push(`${route} is public but documents ${used.join(',')}`);
      } else if (!used.length) wrong.push(`${route} documents no security`);
      for (const name of used) if (!schemes.includes(name)) wrong.push(`${route} uses undeclared scheme ${name}`);
    }
    expect(wrong).toEqual([]);
  });

  it('maps every discriminator value to its schema (OpenAPI 3.0 would otherwise look for a schema named "flat")', () => {
    const discriminated = collectDiscriminated(doc.components.schemas, '#/components/schemas');
    expect(discriminated.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const { at, schema } of discriminated) {
      const { propertyName, mapping } = schema.discriminator as { propertyName: string; mapping?: Record<string, string> };
      const oneOf = ((schema.oneOf ?? []) as { $ref: string }[]).map((s) => s.$ref);
      if (!oneOf.length) wrong.push(`${at}: discriminator without oneOf`);
      if (!mapping) {
        wrong.push(`${at}: discriminator on ${propertyName} without mapping`);
        continue;
      }
      expect([...Object.values(mapping)].sort()).toEqual([...oneOf].sort());
      for (const [value, ref] of Object.entries(mapping)) {
        const target = doc.components.schemas[ref.split('/').pop()!] as { properties?: Record<string, { enum?: string[] }>; required?: string[] } | undefined;
        if (!target) {
          wrong.push(`${at}: ${value} maps to missing ${ref}`);
          continue;
        }
        if (!target.required?.includes(propertyName)) wrong.push(`${at}: ${ref} does not require ${propertyName}`);
        const allowed = target.properties?.[propertyName]?.enum;
        if (!allowed?.includes(value)) wrong.push(`${at}: ${ref} does not allow ${propertyName}=${value}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('documents the rule-version DTOs the API really uses', () => {
    const create = doc.paths['/api/v1/caisses/{caisseId}/rule-versions'].post;
    expect(create.requestBody?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/CreateRuleVersionDto');
    expect(create.responses['201'].content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/RuleVersionDto');
    expect(create.responses['409']).toBeDefined();
    expect((create.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key')).toBe(true);
    const inForce = doc.paths['/api/v1/caisses/{caisseId}/rule-versions/in-force'].get;
    expect(inForce.responses['200'].content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/RuleVersionDto');
    expect((inForce.parameters ?? []).some((p) => p.in === 'query' && p.name === 'at' && !p.required)).toBe(true);
    const ruleVersion = doc.components.schemas.RuleVersionDto as { properties: Json; required: string[] };
    expect(Object.keys(ruleVersion.properties).sort()).toEqual(['allocation', 'contribution', 'createdAt', 'effectiveFrom', 'gate', 'id', 'rollover']);
  });

  it('the problem schema has the RFC 9457 members plus code, correlationId and errors', () => {
    const problem = doc.components.schemas.ProblemDto as { properties: Json; required: string[] };
    expect(Object.keys(problem.properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code', 'correlationId', 'errors']));
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code', 'correlationId']));
    expect(problem.required).not.toContain('errors');
  });
});
