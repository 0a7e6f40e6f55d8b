import { RequestContext } from '../common/request-context/request-context.js';

/** Who acts, as stored on history rows: the user, the terminal key, or the system (daily job). */
export function currentActor(): [kind: 'user' | 'terminal' | 'system', id: string | null] {
  const principal = RequestContext.principal();
  if (principal?.kind === 'user') return ['user', principal.userId];
  if (principal?.kind === 'terminal') return ['terminal', principal.keyId];
  return ['system', null];
}
