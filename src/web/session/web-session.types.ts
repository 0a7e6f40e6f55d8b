import type { HttpRequest } from '../../common/http/http-types.js';
import type { Principal } from '../../common/request-context/principal.js';

/** A web session row as the pages need it (never its id: the cookie is the only copy). */
export interface WebSession {
  idHash: Buffer;
  userId: string | null;
  caisseId: string | null;
  memberId: string | null;
  cardId: string | null;
  /** A paired till: the terminal key it acts as. */
  terminalKeyId: string | null;
  csrfSecret: Buffer;
}

/** What the web layer hangs on a request: its session (null: looked up, none) and the principal the guard resolved. */
export type WebRequest = HttpRequest & { webSession?: WebSession | null; principal?: Principal };
