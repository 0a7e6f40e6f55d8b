import { DomainError } from '../errors/domain-error.js';
import { clean, MAX_JSON_NODES } from './safe-json.js';

/**
 * An application/x-www-form-urlencoded body as an object of strings (a repeated name becomes a list), under the same
 * text rules as JSON bodies: no NUL, no lone surrogate, NFC, no prototype keys, bounded number of values.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_JSON_NODES) throw new DomainError('BODY_TOO_LARGE', 413, `The request body has more than ${MAX_JSON_NODES} values.`);
    const prev = out[key];
    if (Array.isArray(prev)) prev.push(value);
    else out[key] = prev === undefined ? value : [prev, value];
  }
  // URLSearchParams replaced malformed percent-escapes with U+FFFD, never with a lone surrogate: clean() checks the rest.
  return clean({ ...out }, '', { nodes: MAX_JSON_NODES }) as Record<string, string | string[]>;
}
