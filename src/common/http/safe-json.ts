import { DomainError, ValidationFailed } from '../errors/domain-error.js';

/** Deeper than any DTO of the API (the deepest is 4); class-transformer recursion overflowed at a few thousand. */
export const MAX_JSON_DEPTH = 32;
/** Keys and array elements in one body: an offline batch of 1,000 purchases with their lines stays far below. */
export const MAX_JSON_NODES = 200_000;

const NON_ASCII = /[^\x20-\x7e]/;
// With the u flag a well-formed pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Every string a client sends passes here before anything is validated, hashed or stored: PostgreSQL refuses NUL,
 * a lone surrogate would be stored as U+FFFD (so a hash computed before storage no longer matches), and the same
 * accented text typed on two keyboards must hash the same, hence NFC. Returns the normalised string.
 */
export function cleanText(value: string, field: string): string {
  if (!NON_ASCII.test(value)) return value;
  if (value.includes('\u0000')) throw new ValidationFailed({ [field]: [`${field} must not contain a NUL character`] });
  if (LONE_SURROGATE.test(value)) throw new ValidationFailed({ [field]: [`${field} must be valid Unicode text (lone surrogate)`] });
  return value.normalize('NFC');
}

/** Nesting depth of a JSON text, counted without parsing (so a hostile depth costs one linear scan, no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** JSON.parse plus the limits and text rules above; errors are 400 problems naming the field at fault. */
export function parseSafeJson(text: string): unknown {
  if (text.trim() === '') throw new DomainError('MALFORMED_JSON', 400, 'The request body is empty; send a JSON value.');
  // Strict, like the JSON API it serves: a body is an object or a list, never a bare scalar.
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw new DomainError('MALFORMED_JSON', 400, 'The request body must be a JSON object or array.');
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new DomainError('BODY_TOO_DEEP', 400, `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DomainError('MALFORMED_JSON', 400, 'The request body is not valid JSON.');
  }
  const budget = { nodes: MAX_JSON_NODES };
  return clean(parsed, '', budget);
}

/** Walks a parsed value (bounded depth, checked above) cleaning every string and key. */
export function clean(value: unknown, path: string, budget: { nodes: number }): unknown {
  if (typeof value === 'string') return cleanText(value, path || 'body');
  if (value === null || typeof value !== 'object') return value;
  if (--budget.nodes < 0) throw new DomainError('BODY_TOO_LARGE', 413, `The request body has more than ${MAX_JSON_NODES} values.`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = clean(value[i], path ? `${path}.${i}` : String(i), budget);
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(value)) {
    const key = cleanText(rawKey, path ? `${path}.${rawKey}` : rawKey);
    const at = path ? `${path}.${key}` : key;
    // A copied "__proto__" key would replace the prototype of the object it is assigned to.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new ValidationFailed({ [at]: [`${key} is not an accepted field name`] });
    if (--budget.nodes < 0) throw new DomainError('BODY_TOO_LARGE', 413, `The request body has more than ${MAX_JSON_NODES} values.`);
    out[key] = clean(v, at, budget);
  }
  return out;
}
