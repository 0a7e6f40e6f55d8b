import type { FastifyInstance } from 'fastify';

/** The member import form posts a whole CSV file: it gets the API import's body limit. */
export const WEB_MEMBER_IMPORT_PATH = '/caisses/:caisseId/membres/import';

/** The page policy: nothing inline, nothing from elsewhere (Chart.js and htmx are served by /assets). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
].join('; ');

/** Security headers on every response outside /api (pages, assets, their errors and unknown paths alike). */
export function installWebHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (!req.url.startsWith('/api/') && req.url !== '/api') {
      reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Referrer-Policy', 'same-origin');
      reply.header('X-Frame-Options', 'DENY');
      reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    }
    done(null, payload);
  });
}
