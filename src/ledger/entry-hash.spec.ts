import { canonicalPosting, entryContentHash, type HashableEntry } from './entry-hash.js';

const stored: HashableEntry = {
  caisseId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  journal: 'ACH',
  date: '2027-01-15',
  label: 'Achat Épicerie — café 😀',
  pieceRef: 'R-000042',
  idempotencyKey: 'p-Key-AbC',
  reverses: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  lines: [
    { account: '4671-M00000042', debit: '12.40', credit: '0.00', fund: 'allocations', grant: null },
    { account: '401-O00000007', debit: '0.00', credit: '12.40', fund: null, grant: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' },
  ],
};

describe('entryContentHash', () => {
  it('hashes a well-formed stored entry exactly as before the defensive normalisation (verify of old entries holds)', () => {
    // Computed with the previous implementation (plain JSON of the fields, no normalisation).
    expect(entryContentHash(stored)).toBe('70d6891d0837bd076ca5ec7dfb11a2b885690c945479b36aee4c196b44415af5');
  });

  it('hashes ids written in capitals as the lower-case ids the database gives back', () => {
    const upper = { ...stored, caisseId: stored.caisseId.toUpperCase(), reverses: stored.reverses!.toUpperCase(), lines: stored.lines.map((l) => ({ ...l, grant: l.grant?.toUpperCase() ?? null })) };
    expect(entryContentHash(upper)).toBe(entryContentHash(stored));
  });

  it('leaves account codes, idempotency keys and NFD text as they are (they are stored as sent)', () => {
    expect(entryContentHash({ ...stored, lines: stored.lines.map((l) => ({ ...l, account: l.account.toLowerCase() })) })).not.toBe(entryContentHash(stored));
    expect(entryContentHash({ ...stored, idempotencyKey: 'p-key-abc' })).not.toBe(entryContentHash(stored));
    expect(entryContentHash({ ...stored, label: stored.label.normalize('NFD') })).not.toBe(entryContentHash(stored));
  });

  it('hashes a lone surrogate as the U+FFFD the database stores for it', () => {
    expect(entryContentHash({ ...stored, label: 'Retour \uD800' })).toBe(entryContentHash({ ...stored, label: 'Retour \uFFFD' }));
  });
});

describe('canonicalPosting', () => {
  it('puts text in NFC and ids in lower case before hash and insert, and keeps everything else', () => {
    const input = { caisseId: stored.caisseId.toUpperCase(), label: 'Cafe\u0301 \uD83D', pieceRef: 'Pie\u0300ce', reverses: stored.reverses!.toUpperCase(), idempotencyKey: 'K-1' };
    expect(canonicalPosting(input)).toEqual({ caisseId: stored.caisseId, label: 'Café \uFFFD', pieceRef: 'Piè'.normalize('NFC') + 'ce', reverses: stored.reverses, idempotencyKey: 'K-1' });
    expect(canonicalPosting({ caisseId: stored.caisseId, label: 'x', pieceRef: 'y' })).not.toHaveProperty('reverses');
  });
});
