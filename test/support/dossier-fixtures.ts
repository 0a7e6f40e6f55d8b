import { createMember } from './member-fixtures.js';
import { bearer, createOutlet, inDays, shopPlace, transition } from './outlet-fixtures.js';
import type { TestApp } from './test-app.js';

export const EVIDENCE_PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1500, 0x20), Buffer.from('\n%%EOF\n')]);

const GRID = [
  { code: 'organic-practice', label: 'Pratiques biologiques ou durables', description: 'Certification AB ou pratiques équivalentes constatées lors de la visite' },
  { code: 'locality', label: 'Production locale' },
];

/**
 * A candidate outlet whose dossier is complete, ready for a conventionnement decision: the caisse's criteria grid
 * (published once), one answer and one certificate. Tokens: admin and treasurer of the caisse.
 */
export async function outletWithDossier(t: TestApp, caisseId: string, tokens: { admin: string; treasurer: string }, name: string): Promise<{ id: string; name: string }> {
  const api = `/api/v1/caisses/${caisseId}`;
  const grid = await t.http.post(`${api}/outlet-criteria`).set(bearer(tokens.admin)).send({ effectiveFrom: '2026-01-01', criteria: GRID });
  if (grid.status !== 201 && grid.body.code !== 'CRITERIA_VERSION_EXISTS') throw new Error(`criteria failed: ${grid.status} ${JSON.stringify(grid.body)}`);
  const outlet = await createOutlet(t, caisseId, tokens.admin, { name });
  const steps = [
    await t.http.post(`${api}/outlets/${outlet.id}/places`).set(bearer(tokens.admin)).send(shopPlace()),
    await t.http.put(`${api}/outlets/${outlet.id}/criteria/locality`).set(bearer(tokens.admin)).send({ answer: 'yes', comment: 'À 12 km du marché' }),
    await t.http
      .post(`${api}/outlets/${outlet.id}/evidence`)
      .set(bearer(tokens.treasurer))
      .field('criterion', 'organic-practice')
      .field('issuer', 'Ecocert FR-BIO-01')
      .field('validUntil', inDays(300))
      .attach('file', EVIDENCE_PDF, { filename: 'certificat-bio.pdf', contentType: 'application/pdf' }),
    await transition(t, caisseId, outlet.id, tokens.admin, { to: 'dossier-complete' }),
  ];
  const failed = steps.find((r) => r.status >= 300);
  if (failed) throw new Error(`dossier step failed: ${failed.status} ${JSON.stringify(failed.body)}`);
  return { id: outlet.id, name };
}

/**
 * A committee sortition drawn from a public meeting's numbers. The numbers cannot be revealed before the announced
 * instant (a second from now), so this waits for it; nothing is timed.
 */
export async function drawnCommitteeDraw(t: TestApp, caisseId: string, adminToken: string): Promise<string> {
  const api = `/api/v1/caisses/${caisseId}/committee/draws`;
  const pool = [];
  for (let i = 0; i < 4; i++) pool.push({ memberId: (await createMember(t, caisseId, adminToken)).id });
  const availableAfter = new Date(Date.now() + 1200).toISOString();
  const committed = await t.http.post(api).set(bearer(adminToken)).send({
    label: 'Comité citoyen 2027', seats: 2, strata: [], pool,
    randomness: { description: 'Numéros tirés en assemblée publique', commitments: ['meeting:4x99'], availableAfter },
    startsOn: inDays(1), endsOn: inDays(800),
  });
  if (committed.status !== 201) throw new Error(`draw failed: ${committed.status} ${JSON.stringify(committed.body)}`);
  await new Promise((r) => setTimeout(r, Math.max(0, new Date(availableAfter).getTime() - Date.now() + 100)));
  const drawn = await t.http.post(`${api}/${committed.body.id}/randomness`).set(bearer(adminToken)).send({ values: ['17 23 42 08'] });
  if (drawn.status !== 200) throw new Error(`reveal failed: ${drawn.status} ${JSON.stringify(drawn.body)}`);
  return committed.body.id as string;
}
