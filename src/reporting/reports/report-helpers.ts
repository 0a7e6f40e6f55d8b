import type { CaissesService } from '../../caisses/caisses.service.js';
import type { RulesInForce } from '../../caisses/dto/rules.types.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { money } from '../../common/money/money.js';

/** `part / whole` in percent with one decimal ("62.5"); null when the whole is zero. */
export function percentOf(part: string, whole: string): string | null {
  return money(whole).isZero() ? null : money(part).dividedBy(whole).times(100).toDecimalPlaces(1).toFixed(1);
}

/** The rules in force on a date, or undefined when the caisse has none yet (a report still answers). */
export async function rulesOrNone(caisses: CaissesService, caisseId: string, date: string): Promise<RulesInForce | undefined> {
  try {
    return await caisses.rulesInForce(caisseId, date);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'NO_RULES_IN_FORCE') return undefined;
    throw e;
  }
}
