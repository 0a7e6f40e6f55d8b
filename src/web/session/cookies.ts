import { headerOf, type HttpReply, type HttpRequest } from '../../common/http/http-types.js';

export const SESSION_COOKIE = 'caisse_session';
/** Before login there is no session: the login forms' CSRF token is bound to this random cookie instead. */
export const ANON_CSRF_COOKIE = 'caisse_csrf';

export function readCookie(req: HttpRequest, name: string): string | undefined {
  const header = headerOf(req, 'cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Secure only when the request came over TLS (X-Forwarded-Proto counts only from a proxy TRUST_PROXY allows). */
export function setCookie(req: HttpRequest, reply: HttpReply, name: string, value: string, maxAgeSeconds: number): void {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  appendSetCookie(reply, `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`);
}

export function clearCookie(req: HttpRequest, reply: HttpReply, name: string): void {
  setCookie(req, reply, name, '', 0);
}

function appendSetCookie(reply: HttpReply, cookie: string): void {
  const prev = reply.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header('set-cookie', [...list, cookie]);
}
