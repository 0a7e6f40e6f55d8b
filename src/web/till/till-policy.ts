import { DomainError } from '../../common/errors/domain-error.js';
import { formatAmount } from '../view/format.js';

/**
 * What the till may capture while offline (see src/web/README.md, "Till offline"). The batch endpoint checks every
 * queued purchase when it arrives — card, PIN, the outlet's standing at the capture instant, and the balance *then*.
 * A refusal at that point is the shop's loss (the goods are gone), so the till keeps that risk small: card numbers
 * only (a member's QR is short-lived and would have expired), at most this much per purchase and per card over the
 * whole queue, and at most this many purchases waiting.
 */
export const OFFLINE_POLICY = {
  perCardCeiling: '30.00',
  maxQueued: 50,
} as const;

/** The same key shape the batch endpoint accepts. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

/** A refusal of the till in words a cashier can say to the member. */
export function refusalText(code: string, extra: Record<string, unknown> = {}): string {
  const amount = (v: unknown) => (typeof v === 'string' ? formatAmount(v) : '');
  switch (code) {
    case 'INSUFFICIENT_BALANCE':
      return `Solde insuffisant : il reste ${amount(extra.available)} sur le compte, il faudrait ${amount(extra.requested)}.`;
    case 'INVALID_PIN':
      return `Code faux${typeof extra.attemptsLeft === 'number' ? ` : encore ${extra.attemptsLeft} essai(s) avant le verrouillage` : ''}.`;
    case 'PIN_REQUIRED':
      return 'Le code de la carte est demandé pour cet achat.';
    case 'PIN_NOT_SET':
      return 'Aucun code n’a été attribué à cette carte : la caisse doit le fixer.';
    case 'UNKNOWN_CARD':
      return 'Numéro de carte inconnu dans cette caisse.';
    case 'INVALID_QR':
      return 'QR code illisible ou expiré : demandez au membre de l’afficher à nouveau.';
    case 'CARD_LOCKED':
      return 'Carte verrouillée (trop de codes faux) : la caisse doit la déverrouiller.';
    case 'CARD_BLOCKED':
      return 'Carte bloquée ou remplacée : elle ne peut plus servir.';
    case 'MEMBER_NOT_ACTIVE':
      return 'L’adhésion de ce membre n’est pas active.';
    case 'OUTLET_NOT_ACCEPTING':
      return 'Ce point de vente n’accepte pas de paiements en ce moment (conventionnement suspendu ou terminé).';
    case 'PURCHASE_TOO_LARGE':
      return `Montant trop élevé : un achat ne peut pas dépasser ${amount(extra.max)}.`;
    case 'NOTHING_COVERED':
      return 'Rien dans cet achat n’est pris en charge ici.';
    case 'UNKNOWN_CATEGORY':
      return 'Catégorie non prise en charge dans ce point de vente.';
    case 'REFUND_WINDOW_CLOSED':
      return 'Le délai de remboursement de cet achat est passé.';
    case 'REFUND_EXCEEDS_COVERED':
      return 'Le remboursement dépasserait la part prise en charge de l’achat.';
    case 'REFUND_WRONG_OUTLET':
      return 'Seul le point de vente de l’achat peut le rembourser.';
    case 'IDEMPOTENCY_CONFLICT':
      return 'Cet encaissement a déjà été envoyé avec d’autres données : recommencez la saisie.';
    case 'VALIDATION_FAILED':
      return 'Saisie incomplète ou incorrecte : vérifiez les champs.';
    default:
      return 'Paiement refusé.';
  }
}

export function refusalOf(e: DomainError): { code: string; message: string } {
  return { code: e.code, message: refusalText(e.code, e.extra) };
}
