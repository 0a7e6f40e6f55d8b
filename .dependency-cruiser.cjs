/**
 * Module boundaries of DESIGN.md §3, checked by `npm run lint:deps` (part of `npm test`) and test/boundaries.spec.ts.
 *
 * Tiers, lower never importing higher:
 *   0 common, config, database  →  1 ledger, audit, auth  →  2 caisses  →  3 members, outlets, contributions, governance
 *   →  4 purchases, allocations, settlements, reconciliation  →  5 reporting  →  6 web
 * - A module imports its own folder, tier-0 modules, and modules of lower tiers. In tiers 1–4 modules of the same tier
 *   do not import each other (exception: auth uses audit). Tier 0 modules may use each other.
 * - health sits beside the tiers and uses tier 0 only; nothing imports it but app.module.ts.
 * - src/main.ts, src/app.module.ts and src/app.setup.ts wire everything and may import anything; no module imports them.
 * - Across modules, only a module's public surface is reachable: `<m>.module.ts`, its facade `<m>.service.ts`,
 *   `<m>.errors.ts`, `dto/` and `*.types.ts` — never `entities/`, repositories or other internals.
 * - Every folder under src/ is placed in TIERS (or is health), so no new module escapes the rules.
 * - demo (the seed of `npm run demo`) is an HTTP client of the API beside the tiers: it imports nothing of the app and
 *   nothing imports it, so the demo can never become a back door into a module.
 * - No cycles; every import resolves (an unresolved `.js` → `.ts` import would slip past every rule above).
 */
const TIERS = [
  ['common', 'config', 'database'],
  ['ledger', 'audit', 'auth'],
  ['caisses'],
  ['members', 'outlets', 'contributions', 'governance'],
  ['purchases', 'allocations', 'settlements', 'reconciliation'],
  ['reporting'],
  ['web'],
];
const DOMAIN = TIERS.slice(1).flat();
const group = (names) => `^src/(${names.join('|')})/`;

const layerRules = TIERS.slice(0, -1).map((tier, i) => ({
  name: `layer-${tier.join('-')}`,
  comment: `${tier.join(', ')} (tier ${i}) must not import a higher tier (${TIERS.slice(i + 1).flat().join(', ')}) nor health.`,
  severity: 'error',
  from: { path: group(tier) },
  to: { path: group([...TIERS.slice(i + 1).flat(), 'health']) },
}));

/** Same-tier imports allowed in tiers 1–4, importer → [imported]. Extend only by a design decision (DESIGN §3). */
// The audit log is written in the same transaction as the mutation it records, so its writers import it.
// Contributions are paid by members; governance decisions act on members (committee) and outlets (conventionnement).
const SAME_TIER_ALLOWED = { auth: ['audit'], ledger: ['audit'], contributions: ['members'], governance: ['members', 'outlets'] };

const sameTierRules = TIERS.slice(1, 5).flatMap((tier, i) =>
  tier
    .map((m) => ({ m, others: tier.filter((o) => o !== m && !(SAME_TIER_ALLOWED[m] ?? []).includes(o)) }))
    .filter(({ others }) => others.length > 0)
    .map(({ m, others }) => ({
      name: `same-tier-${m}`,
      comment: `${m} (tier ${i + 1}) must not import a module of its own tier: ${others.join(', ')}.`,
      severity: 'error',
      from: { path: `^src/${m}/` },
      to: { path: group(others) },
    })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    ...sameTierRules,
    {
      name: 'health-uses-infrastructure-only',
      comment: 'health checks the infrastructure: it imports common, config and database only.',
      severity: 'error',
      from: { path: '^src/health/' },
      to: { path: '^src/', pathNot: ['^src/(health|common|config|database)/'] },
    },
    {
      name: 'demo-is-an-api-client',
      comment: 'src/demo seeds through the public HTTP API only: it imports no other folder of src/.',
      severity: 'error',
      from: { path: '^src/demo/' },
      to: { path: '^src/', pathNot: '^src/demo/' },
    },
    {
      name: 'nothing-imports-demo',
      comment: 'No app module imports the demo seed (it is run by scripts/demo.mjs and the tests only).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/demo/' },
      to: { path: '^src/demo/' },
    },
    {
      name: 'no-import-of-app-wiring',
      comment: 'main.ts, app.module.ts and app.setup.ts sit on top; no module imports them.',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/(main|app\\.module|app\\.setup)\\.ts$' },
    },
    {
      name: 'no-foreign-entities',
      comment: "A module never reaches another module's entities or repositories; it calls that module's facade service.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: ['^src/[^/]+/(entities/|.*/entities/)', '^src/[^/]+/.*repository\\.ts$'], pathNot: '^src/$1/' },
    },
    {
      name: 'public-surface-only',
      comment:
        "Across domain modules only <m>.module.ts, the facade <m>.service.ts, <m>.errors.ts, dto/ and *.types.ts may be imported.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: group(DOMAIN),
        pathNot: ['^src/$1/', '^src/([^/]+)/(\\1\\.(module|service|errors)\\.ts|dto/.+|.+\\.types\\.ts)$'],
      },
    },
    {
      name: 'module-not-in-tiers',
      comment: 'Every folder under src/ is a module placed in TIERS (or health); a new one gets its place there first.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: group([...TIERS.flat(), 'health', 'demo']) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'Circular imports break ESM initialisation order and blur the layers.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import must resolve, or the rules above cannot see where it leads.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^node_modules/'] },
    // `import type` counts: knowing a higher tier's types is a dependency on it too.
    tsPreCompilationDeps: true,
    // Resolves the sources' ESM-style './x.js' specifiers to './x.ts' as tsc (nodenext) does.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
