import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from './config/index.js';
import { DomainError } from './common/errors/domain-error.js';
import { parseTrustProxy } from './config/trust-proxy.js';
import { ProblemDto } from './common/errors/problem.js';
import { serveApiDocsUi } from './common/http/api-docs-ui.js';
import { serveQueueDashboardPage } from './health/queue-dashboard-page.js';
import { configureHttp, createHttpAdapter } from './common/http/fastify-setup.js';
import { buildValidationPipe } from './common/validation/validation.pipe.js';
import { CSV_BODY_LIMIT, MEMBER_IMPORT_PATH } from './members/csv-body.js';
import { EVIDENCE_BODY_LIMIT, EVIDENCE_PATH } from './outlets/dto/evidence.dto.js';
import { installWebHeaders, WEB_MEMBER_IMPORT_PATH } from './web/web-headers.js';
import { STATEMENTS_BODY_LIMIT, STATEMENTS_PATH } from './reconciliation/dto/statement.dto.js';
import { OFFLINE_BATCH_BODY_LIMIT, OFFLINE_BATCH_PATH } from './purchases/dto/purchase-batch.dto.js';

/** The HTTP adapter main.ts and the tests build the app on (limits and proxy trust from the environment). */
export function httpAdapter(env: NodeJS.ProcessEnv = process.env) {
  return createHttpAdapter({ bodyLimit: env.BODY_LIMIT || '100kb', trustProxy: parseTrustProxy(env.TRUST_PROXY) ?? false });
}

/** Everything main.ts and the e2e tests share, so tests exercise the app exactly as it is served. */
export async function configureApp(app: NestFastifyApplication): Promise<INestApplication> {
  await configureHttp(app, {
    // Offline batches of up to 1,000 purchases, member files and documents need more than a JSON request.
    routeBodyLimits: { [OFFLINE_BATCH_PATH]: OFFLINE_BATCH_BODY_LIMIT, [MEMBER_IMPORT_PATH]: CSV_BODY_LIMIT, [EVIDENCE_PATH]: EVIDENCE_BODY_LIMIT, [WEB_MEMBER_IMPORT_PATH]: CSV_BODY_LIMIT, [STATEMENTS_PATH]: STATEMENTS_BODY_LIMIT },
  });
  app.useGlobalPipes(buildValidationPipe());
  if (app.get(ConfigService).getOrThrow<AppConfig>('app').role === 'worker') {
    // A worker serves /api/health only: no API documentation to build (it takes a noticeable part of a start).
    serveHealthOnly(app);
    return app;
  }
  installWebHeaders(app.getHttpAdapter().getInstance());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Caisse commune de l’alimentation')
      .setDescription('Ledger and operations of a caisse commune (Sécurité Sociale de l’Alimentation). Errors are application/problem+json (RFC 9457).')
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'terminal')
      .build(),
    { extraModels: [ProblemDto] },
  );
  addProblemResponses(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', ui: false, raw: ['json'] });
  serveApiDocsUi(app.getHttpAdapter().getInstance(), '/api/docs', '/api/docs-json', 'Caisse commune – API');
  serveQueueDashboardPage(app.getHttpAdapter().getInstance());
  return app;
}

/**
 * APP_ROLE=worker: the process consumes jobs and answers only /api/health (for the orchestrator's probes); every other
 * route is 404 problem+json, so a worker put behind the load balancer by mistake serves nothing.
 */
function serveHealthOnly(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (req, _reply, done) => {
    const path = req.url.split('?')[0];
    if (path === '/api/health' || path.startsWith('/api/health/')) return done();
    done(new DomainError('NOT_FOUND', 404, 'This process is a queue worker (APP_ROLE=worker): it serves /api/health only.'));
  });
}

/** Every operation may answer with these problems; declaring them once keeps the controllers readable. */
function addProblemResponses(document: ReturnType<typeof SwaggerModule.createDocument>): void {
  const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } } };
  const common: Record<string, string> = {
    '400': 'Invalid input (VALIDATION_FAILED with field errors, MALFORMED_JSON)',
    '401': 'Not authenticated (UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED, INVALID_API_KEY)',
    '403': 'Role not allowed (FORBIDDEN)',
    '404': 'Not found, or a caisse the caller does not belong to (NOT_FOUND)',
    '413': 'Body too large (PAYLOAD_TOO_LARGE)',
    '500': 'Unexpected error (INTERNAL_ERROR); nothing was recorded',
  };
  for (const path of Object.values(document.paths)) {
    for (const op of Object.values(path) as { responses?: Record<string, unknown> }[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      // @ApiConflictResponse({ type: ProblemDto }) and the like document application/json; the filter sends problem+json.
      for (const response of Object.values(op.responses) as { content?: Record<string, { schema?: { $ref?: string } }> }[]) {
        const json = response.content?.['application/json'];
        if (json?.schema?.$ref === problem.content['application/problem+json'].schema.$ref) response.content = problem.content;
      }
      for (const [status, description] of Object.entries(common)) {
        const existing = op.responses[status] as { description?: string } | undefined;
        op.responses[status] = { ...problem, description: existing?.description ?? description };
      }
    }
  }
}
