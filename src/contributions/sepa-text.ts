/**
 * SEPA text rules (EPC rulebook): the Latin character set a-z A-Z 0-9 / - ? : ( ) . , ' + and space, so accents are
 * transliterated and anything else replaced; XML escaping for the rest. Pure helpers, shared by the pain.008 writer.
 */
const SEPA_ALLOWED = /[^A-Za-z0-9/\-?:().,'+ ]/g;

export function sepaText(value: string, max: number): string {
  const latin = value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE'))
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/ß/g, 'ss')
    .replace(/[’‘]/g, "'")
    .replace(SEPA_ALLOWED, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (latin || '-').slice(0, max);
}

export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Mandate references (UMR) and ids: 1 to 35 characters of the restricted set, no leading or double slash. */
export function sepaIdError(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+?/:().,' -]{1,35}$/.test(value)) return 'must be 1 to 35 characters among letters, digits and + ? / - : ( ) . , \' space';
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) return 'must not start or end with "/" nor contain "//"';
  return undefined;
}

/** Letters to digits for ISO 7064 mod 97-10 (A=10 … Z=35). */
function mod97(s: string): number {
  let rest = 0;
  for (const ch of s) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/**
 * Creditor identifier (ICS): country, 2 check digits, a 3-character business code that the check ignores, then the
 * national id; the check digits are mod 97-10 over national id + country + "00". French ICS: FRkkZZZnnnnnn (13).
 */
export function icsError(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/.test(value)) return 'must be a SEPA creditor identifier, e.g. FR72ZZZ123456';
  if (value.startsWith('FR') && value.length !== 13) return 'a French creditor identifier has 13 characters (FRkkZZZnnnnnn)';
  const check = 98 - mod97(`${value.slice(7)}${value.slice(0, 2)}00`);
  return check === Number(value.slice(2, 4)) ? undefined : 'has wrong check digits; check for a typo';
}
