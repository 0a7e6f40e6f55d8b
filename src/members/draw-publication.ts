import { compareUtf8 } from '../common/sortition/canonical.js';
import { stratumKey } from '../common/sortition/pool.js';
import type { PoolEntry, PublishedDraw } from '../common/sortition/sortition.types.js';
import type { EnrolmentDrawDto, PublishedDrawDto, StratumCountDto } from './dto/draw.dto.js';
import type { EnrolmentDrawEntry } from './entities/enrolment-draw-entry.entity.js';
import type { EnrolmentDraw } from './entities/enrolment-draw.entity.js';

function ranked(entries: EnrolmentDrawEntry[], outcome: 'selected' | 'waitlist'): string[] {
  return entries
    .filter((e) => e.outcome === outcome)
    .sort((a, b) => a.rank! - b.rank!)
    .map((e) => e.pseudonym);
}

export function poolOf(entries: EnrolmentDrawEntry[]): PoolEntry[] {
  return entries.map((e) => ({ id: e.pseudonym, stratum: e.stratum })).sort((a, b) => compareUtf8(a.id, b.id));
}

/** The published document, rebuilt from the stored rows (so verifying it also checks nothing was changed since). */
export function publishedDraw(draw: EnrolmentDraw, entries: EnrolmentDrawEntry[]): PublishedDraw & PublishedDrawDto {
  return {
    format: 'ssa-sortition-draw',
    algorithm: draw.algorithm,
    drawId: draw.id,
    label: draw.label,
    committedAt: draw.committedAt.toISOString(),
    spec: draw.spec,
    pool: poolOf(entries),
    poolHash: draw.poolHash,
    quotasHash: draw.quotasHash,
    randomness: {
      description: draw.randomnessDescription,
      parties: draw.randomnessParties,
      commitments: draw.randomnessCommitments,
      availableAfter: draw.randomnessAvailableAfter?.toISOString() ?? null,
      values: draw.randomnessValues,
      combined: draw.randomness,
    },
    seed: draw.seed,
    result: draw.status === 'drawn' ? { selected: ranked(entries, 'selected'), waitlist: ranked(entries, 'waitlist') } : null,
    derivation: draw.derivation,
  };
}

export function strataCounts(draw: EnrolmentDraw, entries: EnrolmentDrawEntry[]): StratumCountDto[] {
  const counts = new Map<string, StratumCountDto>();
  for (const e of entries) {
    const key = stratumKey(e.stratum, draw.spec.strata);
    const c = counts.get(key) ?? counts.set(key, { stratum: e.stratum, applicants: 0, selected: draw.status === 'drawn' ? 0 : null }).get(key)!;
    c.applicants++;
    if (e.outcome === 'selected') c.selected!++;
  }
  return [...counts.entries()].sort(([a], [b]) => compareUtf8(a, b)).map(([, c]) => c);
}

export function toDrawDto(draw: EnrolmentDraw, entries: EnrolmentDrawEntry[]): EnrolmentDrawDto {
  return {
    id: draw.id,
    label: draw.label,
    status: draw.status,
    seats: draw.seats,
    poolSize: draw.poolSize,
    strata: strataCounts(draw, entries),
    committedAt: draw.committedAt.toISOString(),
    drawnAt: draw.drawnAt?.toISOString() ?? null,
    published: publishedDraw(draw, entries),
  };
}
