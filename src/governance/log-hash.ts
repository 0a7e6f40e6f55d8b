import { createHash } from 'node:crypto';

/** The chain starts from 64 zeros; every event hashes its predecessor's hash with its own canonical content. */
export const GENESIS_HASH = '0'.repeat(64);

export interface LogEvent {
  seq: number;
  kind: string;
  payload: unknown;
  recordedAt: string;
  prevHash: string;
}

/** JSON with object keys sorted at every level, so the hash does not depend on how jsonb stored the keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function eventHash(e: LogEvent): string {
  return createHash('sha256').update(canonicalJson({ seq: e.seq, kind: e.kind, payload: e.payload, recordedAt: e.recordedAt, prevHash: e.prevHash })).digest('hex');
}

export interface ChainCheck {
  ok: boolean;
  events: number;
  /** First sequence number where the chain breaks, and why. */
  brokenAt: number | null;
  problem: string | null;
  head: string;
}

/** Recomputes the chain in order: any edited, removed or reordered event breaks it from that point on. */
export function verifyChain(events: readonly (LogEvent & { hash: string })[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const problem =
      e.seq !== i + 1 ? `expected event ${i + 1}, found ${e.seq}` : e.prevHash !== prev ? 'prevHash does not match the previous event' : eventHash(e) !== e.hash ? 'content does not match its hash' : null;
    if (problem) return { ok: false, events: events.length, brokenAt: e.seq, problem, head: prev };
    prev = e.hash;
  }
  return { ok: true, events: events.length, brokenAt: null, problem: null, head: prev };
}
