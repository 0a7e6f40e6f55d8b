import type { CaisseDto } from '../caisses/dto/caisse.dto.js';
import type { TaxReceiptDto } from './dto/tax-receipt.dto.js';
import type { PdfLine } from './simple-pdf.js';

const METHOD_LABELS: Record<string, string> = {
  transfer: 'virement',
  'direct-debit': 'prélèvement',
  cash: 'remise d’espèces',
  card: 'carte bancaire',
  cheque: 'chèque',
};

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const euros = (amount: string) => `${amount.replace('.', ',')} €`;

/**
 * The mentions of a receipt for gifts to a general-interest association (model of Cerfa n° 11580, art. 200 and
 * 238 bis CGI): beneficiary, donor, amount in figures and words, dates, nature, form and method of the gifts.
 */
export function receiptLines(caisse: CaisseDto, r: TaxReceiptDto): PdfLine[] {
  const article = r.legalBasis === 'CGI-238bis' ? '238 bis' : '200';
  const lines: PdfLine[] = [
    { text: 'Reçu au titre des dons à certains organismes d’intérêt général', size: 14, bold: true },
    { text: `Articles 200, 238 bis et 978 du code général des impôts — Reçu n° ${r.number}`, size: 10 },
    ...(r.cancellationNumber ? [{ text: `ANNULÉ — annulation n° ${r.cancellationNumber} : ${r.cancellationReason ?? ''}`, bold: true, size: 12 }] : []),
    { text: ' ' },
    { text: 'Bénéficiaire des versements', bold: true, size: 11 },
    { text: `${caisse.name}${caisse.siren ? ` — SIREN ${caisse.siren}` : ''}` },
    { text: 'Objet : caisse commune de l’alimentation (association d’intérêt général, sécurité sociale de l’alimentation)' },
    { text: ' ' },
    { text: 'Donateur', bold: true, size: 11 },
    { text: r.donorName },
    { text: r.donorAddress ?? 'Adresse : non renseignée' },
    { text: ' ' },
    { text: 'Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction d’impôt la somme de :', bold: true },
    { text: euros(r.amount), size: 12, bold: true },
    { text: `Somme en toutes lettres : ${r.amountInWords}` },
    { text: `Date(s) du versement : ${r.items.map((i) => `${frDate(i.receivedOn)} (${euros(i.amount)})`).join(', ')}` },
    { text: `Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la réduction d’impôt prévue à l’article ${article} du CGI.` },
    { text: 'Forme du don : déclaration de don manuel' },
    { text: 'Nature du don : numéraire' },
    { text: `Mode de versement : ${r.methods.map((m) => METHOD_LABELS[m] ?? m).join(', ')}` },
    { text: ' ' },
    { text: `Date d’émission : ${frDate(r.issuedOn)}` },
  ];
  return lines;
}
