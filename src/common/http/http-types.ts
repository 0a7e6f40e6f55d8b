import type { FastifyReply, FastifyRequest } from 'fastify';

/** The adapter's request and reply, named once so controllers do not depend on the HTTP library by name. */
export type HttpRequest = FastifyRequest;
export type HttpReply = FastifyReply;

export function headerOf(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The offered type the client prefers by its Accept header (q-values, then the order offered), as content
 * negotiation does; undefined when the client accepts none of them. No Accept header accepts everything.
 */
export function preferredType(req: HttpRequest, offered: string[]): string | undefined {
  const accept = headerOf(req, 'accept');
  if (!accept) return offered[0];
  const ranges = accept.split(',').map((part, index) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    return { range: range.trim(), q: Number.isFinite(quality) ? quality : 0, index };
  });
  let best: { type: string; q: number; specificity: number } | undefined;
  for (const type of offered) {
    const [major] = type.split('/');
    let match: { q: number; specificity: number } | undefined;
    for (const r of ranges) {
      const specificity = r.range === type ? 3 : r.range === `${major}/*` ? 2 : r.range === '*/*' ? 1 : 0;
      if (specificity && (!match || specificity > match.specificity)) match = { q: r.q, specificity };
    }
    if (match && match.q > 0 && (!best || match.q > best.q)) best = { type, ...match };
  }
  return best?.type;
}
