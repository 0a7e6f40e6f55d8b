import type { DemoContext, SeededOutlet } from './demo-context.js';

/** The committee's grid, as in the field reports (domain/ssa-practice.md): how food is grown, paid and sold. */
const CRITERIA = [
  { code: 'organic-practice', label: 'Pratiques agricoles durables', description: 'Certification AB, Nature & Progrès, HVE, ou pratiques équivalentes constatées lors de la visite', evidenceRequired: true },
  { code: 'local-sourcing', label: 'Approvisionnement local', description: 'Part des produits venant de moins de 80 km (Morvan, Autunois, Charolais)' },
  { code: 'fair-pay', label: 'Rémunération juste des producteurs', description: 'Prix d’achat négociés, pas de vente à perte imposée' },
  { code: 'access', label: 'Accessibilité', description: 'Horaires, accès aux personnes à mobilité réduite, proximité des transports' },
];

type Answer = 'yes' | 'partly' | 'no' | 'not-applicable';
const ANSWERS: [string, Answer, string][] = [
  ['organic-practice', 'yes', 'Certification AB en cours de validité (document joint)'],
  ['local-sourcing', 'yes', 'Toute la production vient de l’exploitation'],
  ['fair-pay', 'not-applicable', 'Producteur : vend sa propre production'],
  ['access', 'partly', 'Vente à la ferme le samedi, présent au marché d’Autun le mercredi'],
];

/** A one-page PDF standing for a certificate: enough for the dossier to list and serve it. */
function certificatePdf(outlet: string): string {
  const text = `Certificat AB - ${outlet} - document fictif de demonstration`.replace(/[()\\]/g, '');
  const stream = `BT /F1 12 Tf 50 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${pdf}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

/**
 * The criteria grid in force since the start of the year, and the dossiers the committee votes on (`outlets`)
 * answered criterion by criterion, with the certificate the grid asks for.
 */
export async function fillDossiers(ctx: DemoContext, outlets: SeededOutlet[]): Promise<void> {
  const token = ctx.tokens.admin;
  await ctx.http.must(201, 'POST', `${ctx.base}/outlet-criteria`, { token, body: { effectiveFrom: `${ctx.periods[0]}-01`, criteria: CRITERIA } });
  for (const outlet of outlets) {
    for (const [code, answer, comment] of ANSWERS) {
      await ctx.http.must(200, 'PUT', `${ctx.base}/outlets/${outlet.id}/criteria/${code}`, { token, body: { answer, comment } });
    }
    const form = new FormData();
    form.append('criterion', 'organic-practice');
    form.append('issuer', 'Organisme certificateur (fictif)');
    form.append('reference', `AB-DEMO-${outlet.id.slice(0, 8).toUpperCase()}`);
    form.append('issuedOn', `${ctx.periods[0]}-01`);
    form.append('validUntil', `${Number(ctx.today.slice(0, 4)) + 1}-12-31`);
    form.append('file', new Blob([certificatePdf(outlet.name)], { type: 'application/pdf' }), 'certificat-ab.pdf');
    await ctx.http.must(201, 'POST', `${ctx.base}/outlets/${outlet.id}/evidence`, { token, form });
  }
}
