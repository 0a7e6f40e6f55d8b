import type { Decimal } from 'decimal.js';
import { money } from '../common/money/money.js';

/** Amounts in words for tax receipts ("montant en toutes lettres"), traditional French spelling. */
const UNITS = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf'];
const TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante', 'soixante', 'quatre-vingt', 'quatre-vingt'];

/** `final`: nothing but "mille" follows — then "quatre-vingts" and "deux cents" take no s (mille is not a noun). */
function below100(n: number, final: boolean): string {
  if (n < 20) return UNITS[n];
  const t = Math.floor(n / 10);
  const u = n % 10;
  if (t === 7 || t === 9) return `${TENS[t]}${t === 7 && u === 1 ? ' et ' : '-'}${UNITS[10 + u]}`;
  if (u === 0) return t === 8 && final ? 'quatre-vingts' : TENS[t];
  if (u === 1 && t !== 8) return `${TENS[t]} et un`;
  return `${TENS[t]}-${UNITS[u]}`;
}

function below1000(n: number, final: boolean): string {
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h === 0) return below100(r, final);
  const hundreds = h === 1 ? 'cent' : `${UNITS[h]} cent`;
  if (r === 0) return h > 1 && final ? `${hundreds}s` : hundreds;
  return `${hundreds} ${below100(r, final)}`;
}

export function integerInWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) throw new RangeError('0 to 999 999 999 999');
  if (n === 0) return UNITS[0];
  const billions = Math.floor(n / 1e9);
  const millions = Math.floor(n / 1e6) % 1000;
  const thousands = Math.floor(n / 1000) % 1000;
  const rest = n % 1000;
  const parts: string[] = [];
  if (billions) parts.push(`${below1000(billions, true)} milliard${billions > 1 ? 's' : ''}`);
  if (millions) parts.push(`${below1000(millions, true)} million${millions > 1 ? 's' : ''}`);
  if (thousands) parts.push(thousands === 1 ? 'mille' : `${below1000(thousands, false)} mille`);
  if (rest) parts.push(below1000(rest, true));
  return parts.join(' ');
}

export function amountInWords(value: Decimal.Value): string {
  const cents = money(value).times(100).toDecimalPlaces(0).toNumber();
  const euros = Math.floor(cents / 100);
  const centimes = cents % 100;
  // "un million d'euros" but "un million deux cents euros": d' only right after million/milliard.
  const de = euros >= 1e6 && euros % 1e6 === 0 ? " d'euros" : euros > 1 ? ' euros' : ' euro';
  const words = `${integerInWords(euros)}${de}`;
  return centimes ? `${words} et ${integerInWords(centimes)} centime${centimes > 1 ? 's' : ''}` : words;
}
