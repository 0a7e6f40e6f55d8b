import type { AccessRole } from '../../common/request-context/principal.js';

/** One entry of a caisse's navigation: `path` is relative to /caisses/:caisseId; `roles` who sees it ('public': anyone). */
export interface NavEntry {
  label: string;
  path: string;
  roles: readonly AccessRole[] | 'public';
}

const STAFF: AccessRole[] = ['admin', 'treasurer'];

/**
 * The caisse navigation, in display order. Add an entry here when a page lands (other teams: append, don't reorder);
 * keep only entries whose page exists, so no link leads nowhere.
 */
export const CAISSE_NAV: NavEntry[] = [
  { label: 'Tableau de bord', path: '/tableau-de-bord', roles: STAFF },
  { label: 'Allocations', path: '/allocations', roles: [...STAFF, 'committee'] },
  { label: 'Membres', path: '/membres', roles: STAFF },
  { label: 'Cotisations', path: '/contributions', roles: STAFF },
  { label: 'Points de vente', path: '/points-de-vente', roles: [...STAFF, 'committee'] },
  { label: 'Règlements', path: '/reglements', roles: STAFF },
  { label: 'Rapports et livres', path: '/rapports', roles: STAFF },
  { label: 'Mon espace', path: '/membre', roles: ['member'] },
  { label: 'Registre public', path: '/registre', roles: 'public' },
  { label: 'Comment ça marche', path: '/fonctionnement', roles: 'public' },
  { label: 'Chiffres publiés', path: '/publication', roles: ['admin'] },
];

export function addNavEntry(entry: NavEntry, before?: string): void {
  const at = before ? CAISSE_NAV.findIndex((e) => e.path === before) : -1;
  if (at >= 0) CAISSE_NAV.splice(at, 0, entry);
  else CAISSE_NAV.push(entry);
}

export function navFor(roles: readonly AccessRole[]): NavEntry[] {
  return CAISSE_NAV.filter((e) => e.roles === 'public' || e.roles.some((r) => roles.includes(r)));
}
