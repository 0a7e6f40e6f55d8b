import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthConfig } from '../../config/index.js';
import { TransactionHost } from '../../database/transaction.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { ANON_CSRF_COOKIE, clearCookie, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import type { WebRequest, WebSession } from './web-session.types.js';

/**
 * Staff sessions: 30 minutes idle, 12 hours at most. Members': as short as their API token (10 min idle, 2 h). A
 * paired till: a shop's day (4 h idle, so an offline spell does not log it out; 14 h at most, paired again each day).
 */
const LIMITS = { user: { idle: 30 * 60, absolute: 12 * 3600 }, member: { idle: 10 * 60, absolute: 2 * 3600 }, terminal: { idle: 4 * 3600, absolute: 14 * 3600 } };
/** Extending the idle expiry on every request would write on every page view; once a minute is enough. */
const TOUCH_AFTER_SECONDS = 60;
const ID = /^[A-Za-z0-9_-]{43}$/;

interface Row {
  id_hash: Buffer;
  user_id: string | null;
  caisse_id: string | null;
  member_id: string | null;
  card_id: string | null;
  terminal_key_id: string | null;
  csrf_secret: Buffer;
  stale: boolean;
}

export type SessionSubject = { userId: string } | { caisseId: string; memberId: string; cardId: string } | { caisseId: string; terminalKeyId: string };

function kindOf(subject: SessionSubject): keyof typeof LIMITS {
  return 'userId' in subject ? 'user' : 'terminalKeyId' in subject ? 'terminal' : 'member';
}

/** Creates, finds and ends web sessions, and derives their CSRF tokens. */
@Injectable()
export class WebSessionsService {
  private readonly anonKey: Buffer;

  constructor(
    private readonly txHost: TransactionHost,
    config: ConfigService,
  ) {
    // A key of its own for login-form tokens, derived so it never equals the JWT signing secret.
    this.anonKey = createHmac('sha256', config.getOrThrow<AuthConfig>('auth').jwtSecret).update('web:anonymous-csrf').digest();
  }

  async create(req: WebRequest, reply: HttpReply, subject: SessionSubject): Promise<WebSession> {
    const { idle, absolute } = LIMITS[kindOf(subject)];
    const id = randomBytes(32).toString('base64url');
    const idHash = hash(id);
    const csrfSecret = randomBytes(32);
    const m = {
      caisseId: 'caisseId' in subject ? subject.caisseId : null,
      memberId: 'memberId' in subject ? subject.memberId : null,
      cardId: 'cardId' in subject ? subject.cardId : null,
      terminalKeyId: 'terminalKeyId' in subject ? subject.terminalKeyId : null,
    };
    const tx = this.txHost.tx;
    // Expired rows go on the way; a session the browser still held is replaced (no fixation of an old id).
    await tx.query(`DELETE FROM web_sessions WHERE idle_expires_at < now() OR absolute_expires_at < now()`);
    await this.end(req, reply);
    await tx.query(
      `INSERT INTO web_sessions (id_hash, user_id, caisse_id, member_id, card_id, terminal_key_id, csrf_secret, idle_expires_at, absolute_expires_at)
       VALUES ($1, $2, $3, $4, $5, $9, $6, now() + make_interval(secs => $7), now() + make_interval(secs => $8))`,
      [idHash, 'userId' in subject ? subject.userId : null, m.caisseId, m.memberId, m.cardId, csrfSecret, idle, absolute, m.terminalKeyId],
    );
    setCookie(req, reply, SESSION_COOKIE, id, absolute);
    const session = { idHash, userId: 'userId' in subject ? subject.userId : null, ...m, csrfSecret };
    req.webSession = session;
    return session;
  }

  /** The request's live session (looked up once per request), extending its idle expiry. */
  async find(req: WebRequest): Promise<WebSession | null> {
    if (req.webSession !== undefined) return req.webSession;
    const id = readCookie(req, SESSION_COOKIE);
    let session: WebSession | null = null;
    if (id && ID.test(id)) {
      const [row]: Row[] = await this.txHost.tx.query(
        `SELECT id_hash, user_id, caisse_id, member_id, card_id, terminal_key_id, csrf_secret, last_seen_at < now() - make_interval(secs => $2) AS stale
           FROM web_sessions WHERE id_hash = $1 AND idle_expires_at > now() AND absolute_expires_at > now()`,
        [hash(id), TOUCH_AFTER_SECONDS],
      );
      if (row) {
        if (row.stale) await this.touch(row);
        session = { idHash: row.id_hash, userId: row.user_id, caisseId: row.caisse_id, memberId: row.member_id, cardId: row.card_id, terminalKeyId: row.terminal_key_id, csrfSecret: row.csrf_secret };
      }
    }
    req.webSession = session;
    return session;
  }

  async end(req: WebRequest, reply: HttpReply): Promise<void> {
    const id = readCookie(req, SESSION_COOKIE);
    if (id && ID.test(id)) await this.txHost.tx.query(`DELETE FROM web_sessions WHERE id_hash = $1`, [hash(id)]);
    if (id) clearCookie(req, reply, SESSION_COOKIE);
    req.webSession = null;
  }

  /** The token forms carry: bound to the session, or before login to the anonymous cookie (set here if missing). */
  async csrfToken(req: WebRequest, reply: HttpReply): Promise<string> {
    const session = await this.find(req);
    if (session) return sessionToken(session);
    let anon = readCookie(req, ANON_CSRF_COOKIE);
    if (!anon || !ID.test(anon)) {
      anon = randomBytes(32).toString('base64url');
      setCookie(req, reply, ANON_CSRF_COOKIE, anon, 12 * 3600);
    }
    return this.anonToken(anon);
  }

  /** Whether a submitted token is the one this request's session (or anonymous cookie) expects. */
  async checkCsrf(req: WebRequest, submitted: string | undefined): Promise<boolean> {
    if (!submitted) return false;
    const session = await this.find(req);
    let expected: string | undefined;
    if (session) expected = sessionToken(session);
    else {
      const anon = readCookie(req, ANON_CSRF_COOKIE);
      expected = anon && ID.test(anon) ? this.anonToken(anon) : undefined;
    }
    if (!expected) return false;
    const a = Buffer.from(submitted);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private anonToken(cookie: string): string {
    return createHmac('sha256', this.anonKey).update(cookie).digest('base64url');
  }

  private async touch(row: Row): Promise<void> {
    const idle = (row.user_id ? LIMITS.user : row.terminal_key_id ? LIMITS.terminal : LIMITS.member).idle;
    await this.txHost.tx.query(
      `UPDATE web_sessions SET last_seen_at = now(), idle_expires_at = LEAST(absolute_expires_at, now() + make_interval(secs => $2)) WHERE id_hash = $1`,
      [row.id_hash, idle],
    );
  }
}

function hash(id: string): Buffer {
  return createHash('sha256').update(id).digest();
}

function sessionToken(session: WebSession): string {
  return createHmac('sha256', session.csrfSecret).update('csrf').digest('base64url');
}
