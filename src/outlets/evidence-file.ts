import type { EvidenceMediaType } from './dto/evidence.dto.js';

/**
 * What a file really is, from its first bytes: the type a browser declares comes from the file name and proves
 * nothing. Only documents a committee member can open anywhere are kept.
 */
const SIGNATURES: [EvidenceMediaType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

export function sniffMediaType(content: Buffer): EvidenceMediaType | undefined {
  return SIGNATURES.find(([, magic]) => content.length >= magic.length && magic.every((b, i) => content[i] === b))?.[0];
}

/** A file name safe to show and to send back: no directories, no control characters, at most 200 characters. */
export function safeFileName(name: string | undefined, mediaType: EvidenceMediaType): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(-200);
  return clean || `document.${mediaType === 'application/pdf' ? 'pdf' : mediaType === 'image/png' ? 'png' : 'jpg'}`;
}
