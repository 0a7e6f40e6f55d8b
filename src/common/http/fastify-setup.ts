import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import multipart from '@fastify/multipart';
import { Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { sendProblem } from '../errors/problem.filter.js';
import type { FastifyInstance } from 'fastify';
import { RequestContext } from '../request-context/request-context.js';
import { assignCorrelationId, correlationIdOf } from './correlation-id.js';
import { headerOf, type HttpReply, type HttpRequest } from './http-types.js';
import { DomainError } from '../errors/domain-error.js';
import { clean, parseSafeJson } from './safe-json.js';
import { parseForm } from './form-body.js';

export interface AdapterOptions {
  /** Default largest body, e.g. "100kb". */
  bodyLimit: string;
  /** Who may set X-Forwarded-For (only proxies the operator runs): nobody, a hop count, or addresses/CIDRs. */
  trustProxy: false | number | string[];
}

export interface HttpOptions {
  /** Larger limits than the adapter's default for the few routes that take files or batches (Fastify route paths). */
  routeBodyLimits?: Record<string, string>;
}

const MAX_QUERY_VALUES = 1000;
const logger = new Logger('Http');

const served = new WeakMap<object, { method: string; url: string }[]>();

/** The routes the server really serves (method and Fastify path), as registered: what the OpenAPI test compares. */
export function servedRoutes(app: NestFastifyApplication): { method: string; url: string }[] {
  return served.get(app.getHttpAdapter().getInstance()) ?? [];
}

export function bytes(limit: string): number {
  const m = /^(\d+)(kb|mb)?$/i.exec(limit.trim());
  if (!m) throw new Error(`not a size: ${limit}`);
  return Number(m[1]) * (m[2]?.toLowerCase() === 'mb' ? 1024 * 1024 : m[2] ? 1024 : 1);
}

export function createHttpAdapter(options: AdapterOptions): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: bytes(options.bodyLimit),
    // Fastify takes a hop count too (proxy-addr semantics); its typings only list booleans and addresses.
    trustProxy: options.trustProxy as boolean | string[],
    // Caisse ids in paths are UUIDs; a long path is an attack, not a client.
    routerOptions: { maxParamLength: 200 },
    // Errors are answered as problems by the Nest filter; Fastify's own logger stays quiet.
    logger: false,
    // Refusals of the router itself (a bad percent-encoding, an over-long path parameter) as problems too.
    frameworkErrors: (error: Error, req: HttpRequest, reply: HttpReply) => {
      assignCorrelationId(req, reply);
      sendProblem(req, reply, error, logger);
    },
  });
}

/**
 * Hooks every request passes, before Nest's guards: a correlation id, JSON parsed under depth/size/text rules, the
 * query cleaned likewise, per-route body limits, and the async context the audit log reads the principal from.
 */
export async function configureHttp(app: NestFastifyApplication, options: HttpOptions): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const limits = Object.fromEntries(Object.entries(options.routeBodyLimits ?? {}).map(([path, limit]) => [path, bytes(limit)]));

  const routes: { method: string; url: string }[] = [];
  served.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    const limit = limits[route.url];
    if (limit) route.bodyLimit = limit;
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    assignCorrelationId(req, reply);
    done();
  });

  // Bodies may come compressed; the route's limit then applies to the inflated size (no zip bombs).
  fastify.addHook('preParsing', (req, _reply, payload, done) => {
    // Before parsing: a body in another charset would otherwise fail as malformed JSON instead of a 415.
    const charset = /;\s*charset=([^;]+)/i.exec(headerOf(req, 'content-type') ?? '')?.[1]?.trim().replace(/"/g, '').toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      return done(new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, `Charset ${charset} is not supported; send UTF-8.`), undefined);
    }
    const encoding = headerOf(req, 'content-encoding')?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return done(null, payload);
    const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
    if (!inflate) return done(new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, `Content-Encoding ${encoding} is not supported (gzip, deflate, br).`), undefined);
    const out = new PassThrough();
    inflate.on('error', () => out.destroy(new DomainError('MALFORMED_BODY', 400, 'The compressed body could not be inflated.')));
    // Fastify checks Content-Length, and the limit on what came over the wire, against this count of encoded bytes.
    let encoded = 0;
    payload.on('data', (chunk: Buffer) => (encoded += chunk.length));
    Object.defineProperty(out, 'receivedEncodedLength', { get: () => encoded });
    done(null, payload.pipe(inflate).pipe(out));
  });

  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseSafeJson(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addContentTypeParser(['text/plain', 'text/csv', 'application/csv'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, clean(body as string, 'body', { nodes: 1 }));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // HTML forms of the web pages; the JSON API keeps refusing them (415), as before.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    if (req.url.startsWith('/api/')) return done(new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'This content type is not accepted; send application/json.'), undefined);
    try {
      done(null, parseForm(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // Files are read by the route (after its guard), never buffered for a route that does not take them.
  await app.register(multipart as never);

  fastify.addHook('preHandler', (req: HttpRequest, _reply, done) => {
    try {
      if (req.query && typeof req.query === 'object') req.query = clean(req.query, '', { nodes: MAX_QUERY_VALUES }) as typeof req.query;
    } catch (e) {
      const tooMany = e instanceof DomainError && e.code === 'BODY_TOO_LARGE';
      return done(tooMany ? new DomainError('QUERY_TOO_LARGE', 400, `The query has more than ${MAX_QUERY_VALUES} values.`) : (e as Error));
    }
    // The handler (guards included) runs synchronously inside done(), so the whole request sees this store.
    RequestContext.run({ requestId: correlationIdOf(req) }, () => done());
  });
}
