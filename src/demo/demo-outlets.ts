import type { DemoContext, SeededOutlet } from './demo-context.js';
import { CONCURRENCY } from './demo-context.js';
import { pool } from './demo-http.js';
import { COMMUNES, OUTLETS, type OutletSpec } from './demo-territory.js';

const NAME = Object.fromEntries(COMMUNES.map((c) => [c.code, c.name]));
const POSTCODE = Object.fromEntries(COMMUNES.map((c) => [c.code, c.postcode]));
const WEEKDAYS_9_TO_19 = [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '09:00', closes: '19:00' }));

/** Where an outlet receives members: a shop, the mobile grocery's village stops, a locker open at all hours. */
function places(spec: OutletSpec): Record<string, unknown>[] {
  const at = { commune: spec.commune, communeName: NAME[spec.commune] };
  switch (spec.kind) {
    case 'mobile-grocery':
      return COMMUNES.filter((c) => c.code !== '71014')
        .slice(0, 5)
        .map((c, i) => ({ kind: 'stop', label: `Arrêt place de la mairie, ${c.name}`, commune: c.code, communeName: c.name, hours: [{ weekday: (i % 5) + 1, opens: '10:00', closes: '11:30' }] }));
    case 'locker':
      return [{ kind: 'locker', label: 'Casier réfrigéré', ...at, alwaysOpen: true, accessNotes: 'Code reçu par SMS à la commande', hours: [] }];
    case 'market-stall':
      return [{ kind: 'market', label: `Marché de ${NAME[spec.commune]}`, ...at, hours: [{ weekday: 3, opens: '07:30', closes: '12:30' }, { weekday: 6, opens: '07:30', closes: '12:30' }] }];
    case 'amap':
      return [{ kind: 'pickup', label: 'Distribution des paniers', ...at, hours: [{ weekday: 4, opens: '18:00', closes: '19:30' }] }];
    case 'producer':
      return [{ kind: 'shop', label: 'Vente à la ferme', ...at, hours: [{ weekday: 5, opens: '14:00', closes: '19:00' }, { weekday: 6, opens: '09:00', closes: '12:00' }] }];
    default:
      return [{ kind: 'shop', label: 'Magasin', ...at, hours: WEEKDAYS_9_TO_19 }];
  }
}

/**
 * Every outlet registered with its places and its dossier complete; all but the last two are then conventionnés —
 * the first `byVote` through a committee decision (see demo-governance), the others on minutes of earlier meetings.
 * Of the last two, one is still a candidate and one awaits its decision. Coverage and a till key for each.
 */
export async function createOutlets(ctx: DemoContext, count: number): Promise<SeededOutlet[]> {
  // Drawn before the requests run concurrently, so each outlet gets the same numbers whatever the timing.
  const specs = OUTLETS.slice(0, count).map((spec) => ({ ...spec, siret: ctx.rng.siret(), iban: ctx.rng.iban() }));
  return pool(specs, CONCURRENCY / 2, async (spec, i): Promise<SeededOutlet> => {
    const token = ctx.tokens.admin;
    const outlet = await ctx.http.must<{ id: string }>(201, 'POST', `${ctx.base}/outlets`, {
      token,
      body: { legalName: spec.legalName, name: spec.name, siret: spec.siret, kind: spec.kind, labels: spec.labels ?? [], commune: spec.commune, communeName: NAME[spec.commune], postcode: POSTCODE[spec.commune], country: 'FR', iban: spec.iban },
    });
    const path = `${ctx.base}/outlets/${outlet.id}`;
    for (const place of places(spec)) await ctx.http.must(201, 'POST', `${path}/places`, { token, body: place });
    const candidate = i === specs.length - 1;
    if (!candidate) await ctx.http.must(201, 'POST', `${path}/transitions`, { token, body: { to: 'dossier-complete', reason: 'Dossier complet : critères renseignés, visite faite' } });
    const byCategory = spec.kind === 'grocery' || spec.kind === 'producers-shop';
    const rates = byCategory ? [{ category: 'fruits-legumes', rate: '1' }, { category: 'epicerie', rate: '0.70' }, { category: '*', rate: '0.50' }] : [{ category: '*', rate: '1' }];
    await ctx.http.must(201, 'POST', `${path}/coverage`, { token, body: { effectiveFrom: ctx.today, rates } });
    const terminal = await ctx.http.must<{ apiKey: string }>(201, 'POST', `${path}/terminals`, { token, body: { label: `Caisse ${spec.name}` } });
    return { id: outlet.id, name: spec.name, kind: spec.kind, commune: spec.commune, apiKey: terminal.apiKey, conventionne: false, byCategory };
  });
}

/** Conventionnement on the minutes of a committee meeting held before the software was in use. */
export async function conventionByMinutes(ctx: DemoContext, outlets: SeededOutlet[]): Promise<void> {
  const reviewOn = `${Number(ctx.today.slice(0, 4)) + 1}${ctx.today.slice(4)}`;
  await pool(outlets, CONCURRENCY, async (o, i) => {
    const meeting = ctx.periods[Math.min(ctx.periods.length - 1, i % 6)];
    await ctx.http.must(201, 'POST', `${ctx.base}/outlets/${o.id}/transitions`, {
      token: ctx.tokens.admin,
      body: { to: 'conventionne', reason: 'Conventionnement décidé en comité citoyen', decisionRef: `CC-${meeting}`, decisionMinutes: `Comité citoyen de ${meeting} : consentement, aucune objection (procès-verbal fictif de démonstration).`, reviewOn },
    });
    o.conventionne = true;
  });
}
