import iconv from 'iconv-lite';

/**
 * Typographic punctuation French labels are full of (the chart's "Adhérents — cotisations", "d’autres organismes"),
 * absent from ISO-8859-15: written as their ASCII look-alike rather than "?". One byte each, so lengths are unchanged.
 */
export const LATIN9_LOOKALIKES: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u2033': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u202f': ' ', '\u2009': ' ', '\u2007': ' ',
};

/**
 * UTF-16 code unit → ISO-8859-15 byte, "?" for what the charset lacks. Built from iconv-lite's own decoding of the 256
 * bytes, so the bytes are exactly iconv's (which also maps code unit by code unit: an astral character gives "??"),
 * except for the look-alikes above.
 */
const TABLE = (() => {
  const table = new Uint8Array(65536).fill(0x3f);
  const chars = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'iso-8859-15');
  for (let b = 0; b < 256; b++) table[chars.charCodeAt(b)] = b;
  for (const [from, to] of Object.entries(LATIN9_LOOKALIKES)) table[from.charCodeAt(0)] = to.charCodeAt(0);
  return table;
})();

/**
 * Writes FEC text straight into one Buffer per batch: one byte per UTF-16 code unit through the table, so no batch
 * string is concatenated (flattening a 1.5 MB rope, then scanning it with a regex and encoding it, cost more than
 * the formatting itself) and the batch's size is known before it is written.
 */
export class FecBatchEncoder {
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;

  /** Starts a batch of exactly `length` code units (the sum of the lengths of what will be written). */
  start(length: number): void {
    this.buf = Buffer.allocUnsafe(length);
    this.at = 0;
  }

  write(text: string): void {
    const { buf } = this;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buf[at++] = TABLE[text.charCodeAt(i)]!;
    this.at = at;
  }

  /** The batch written; throws if it was not exactly the length announced (a bug, never silently short bytes). */
  finish(): Buffer {
    if (this.at !== this.buf.length) throw new Error(`FEC batch: ${this.at} bytes written, ${this.buf.length} announced`);
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }
}

/** ISO-8859-15 of a whole text (é is 0xE9, € is 0xA4, a character the charset lacks is "?"). */
export function encodeLatin9(text: string): Buffer {
  const encoder = new FecBatchEncoder();
  encoder.start(text.length);
  encoder.write(text);
  return encoder.finish();
}
