import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * Swagger UI from the swagger-ui-dist package the Nest swagger module ships, served by two plain routes: only the
 * four files the page needs, read once, and no inline script (so the page works under a strict CSP).
 */
export function serveApiDocsUi(fastify: FastifyInstance, path: string, jsonUrl: string, title: string): void {
  const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${path}/assets/swagger-ui.css"><link rel="icon" href="${path}/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="${path}/assets/swagger-ui-bundle.js"></script><script src="${path}/assets/swagger-ui-standalone-preset.js"></script>
<script src="${path}/assets/init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(jsonUrl)}, dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], plugins: [SwaggerUIBundle.plugins.DownloadUrl], layout: 'StandaloneLayout' });`;

  fastify.get(path, (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  fastify.get(`${path}/assets/init.js`, (_req, reply) => reply.type('application/javascript; charset=utf-8').send(init));
  fastify.get<{ Params: { file: string } }>(`${path}/assets/:file`, async (req, reply) => {
    const type = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
    if (!type) return reply.code(404).type('text/plain').send('not found');
    let body = cache.get(req.params.file);
    if (!body) cache.set(req.params.file, (body = await readFile(join(root, req.params.file))));
    return reply.type(type).header('Cache-Control', 'public, max-age=86400').send(body);
  });
}
