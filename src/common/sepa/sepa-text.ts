/**
 * SEPA text rules (EPC rulebook): the Latin character set a-z A-Z 0-9 / - ? : ( ) . , ' + and space, so accents are
 * transliterated and anything else replaced; XML escaping for the rest. Pure helpers, shared by the pain.008
 * (contributions) and pain.001 (settlements) writers.
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
