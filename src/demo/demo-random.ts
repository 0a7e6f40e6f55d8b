/**
 * Deterministic randomness for the demo: the same seed gives the same caisse on every machine (mulberry32, a small
 * 32-bit generator — statistical quality is plenty for fictitious data, and it is not used for any secret).
 */
export class DemoRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `items` drawn with the given weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [item, w] of items) if ((x -= w) < 0) return item;
    return items[items.length - 1][0];
  }

  digits(n: number): string {
    return Array.from({ length: n }, () => this.int(0, 9)).join('');
  }

  /** A SIRET with valid Luhn keys on its SIREN and on the whole, as the outlets module checks them. */
  siret(): string {
    const siren = withLuhn(`${this.int(1, 9)}${this.digits(7)}`);
    return withLuhn(siren + this.digits(4));
  }

  /** A French IBAN with a valid RIB key and mod-97 check digits. */
  iban(): string {
    const [bank, branch, account] = [this.digits(5), this.digits(5), this.digits(11)];
    const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
    const bban = `${bank}${branch}${account}${String(key).padStart(2, '0')}`;
    return `FR${String(98 - mod97(`${bban}FR00`)).padStart(2, '0')}${bban}`;
  }
}

function withLuhn(prefix: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = prefix + d;
    const sum = [...s].reverse().reduce((acc, c, i) => {
      const x = Number(c);
      return acc + (i % 2 ? ((2 * x) % 10) + Math.floor((2 * x) / 10) : x);
    }, 0);
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable: one digit always completes a Luhn sum');
}

function mod97(s: string): number {
  let r = 0;
  for (const c of s) for (const d of /[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c) r = (r * 10 + Number(d)) % 97;
  return r;
}

/** Cents (integers, exact) as the API's decimal string: 1234 → "12.34". */
export function euros(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`not a whole number of cents: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
