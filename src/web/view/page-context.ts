import type { AccessRole, Principal } from '../../common/request-context/principal.js';

/** What every page template knows about the request: who is there, in which caisse, and the form token. */
export interface PageContext {
  principal?: Principal;
  /** The CSRF token every form of the page carries (see forms.ts `csrfField`). */
  csrf: string;
  /** The path asked for, to mark the current navigation entry. */
  path: string;
  caisse?: { id: string; name: string };
  /** Roles the principal holds in `caisse` (empty when anonymous or outside a caisse). */
  roles: AccessRole[];
}

export function hasRole(ctx: PageContext, ...roles: AccessRole[]): boolean {
  return ctx.roles.some((r) => roles.includes(r));
}
