export const CAISSE_ROLES = ['admin', 'treasurer', 'committee', 'cashier', 'member'] as const;
export type CaisseRole = (typeof CAISSE_ROLES)[number];
/** Terminals (shop tills) are not people: they get this pseudo-role in the caisse of their key. */
export type AccessRole = CaisseRole | 'terminal';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  platformAdmin: boolean;
  /** caisseId -> roles held there */
  roles: Record<string, CaisseRole[]>;
}

export interface TerminalPrincipal {
  kind: 'terminal';
  keyId: string;
  caisseId: string;
  outletId: string | null;
}

/** A member logged in with card and PIN: reads only its own data, in its own caisse. */
export interface MemberPrincipal {
  kind: 'member';
  memberId: string;
  caisseId: string;
}

export type Principal = UserPrincipal | TerminalPrincipal | MemberPrincipal;

/** Roles the principal holds in one caisse (a platform admin acts as admin everywhere). */
export function rolesIn(principal: Principal, caisseId: string): AccessRole[] {
  if (principal.kind === 'terminal') return principal.caisseId === caisseId ? ['terminal'] : [];
  if (principal.kind === 'member') return principal.caisseId === caisseId ? ['member'] : [];
  const roles: AccessRole[] = [...(principal.roles[caisseId] ?? [])];
  if (principal.platformAdmin && !roles.includes('admin')) roles.push('admin');
  return roles;
}
