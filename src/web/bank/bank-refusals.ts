import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';

/** The refusals a treasurer meets on the bank pages, in French (others keep the API's sentence). */
const REFUSALS: Record<string, string> = {
  MALFORMED_STATEMENT: 'Ce fichier n’est pas un relevé lisible (camt.053, CFONB 120 ou CSV) : rien n’a été importé.',
  UNKNOWN_BANK_ACCOUNT: 'Ce relevé concerne un compte que la caisse ne connaît pas (IBAN ou RIB) : rien n’a été importé.',
  STATEMENT_ALREADY_IMPORTED: 'Ce relevé a déjà été importé : rien n’a été importé de nouveau.',
  STATEMENT_OUT_OF_SEQUENCE: 'Ce relevé ne suit pas le dernier relevé importé de ce compte (solde ou dates) : rien n’a été importé.',
  CSV_MAPPING_MISSING: 'Aucune lecture CSV n’est enregistrée pour ce compte : définissez-la (lien « Lecture CSV » du compte, ci-dessus), puis recommencez.',
  ALREADY_MATCHED: 'Cette ligne bancaire est déjà rapprochée : rechargez la page.',
  ALREADY_LETTERED: 'Une écriture proposée est déjà rapprochée d’une autre ligne : rapprochez à la main.',
  MATCH_UNDONE: 'Ce rapprochement a déjà été annulé.',
  PERIOD_CLOSED: 'La période de cette ligne est clôturée : l’écriture ne peut plus y être passée.',
  IDEMPOTENCY_CONFLICT: 'Ce formulaire a déjà servi pour une autre demande : rechargez la page.',
  UNKNOWN_ACCOUNT: 'Le compte de cette écriture manque au plan comptable de la caisse : ajoutez-le, puis recommencez.',
  PAYLOAD_TOO_LARGE: 'Le fichier dépasse la taille acceptée.',
};

export function frenchRefusal(e: DomainError): string {
  if (e.code === 'VALIDATION_FAILED') return `Le formulaire contient des erreurs : ${Object.values((e.extra.errors ?? {}) as Record<string, string[]>).flat().join(' ; ') || e.message}`;
  return REFUSALS[e.code] ?? e.message;
}

/** The file line a refused statement names (0: the file as a whole), for the page to say where. */
export function refusedLine(e: DomainError): number | undefined {
  const line = e.extra.line;
  return typeof line === 'number' && line > 0 ? line : undefined;
}

/** A bank account code from a path or a form, as the API checks it (512, 5121…). */
export function bankAccountParam(value: unknown, field = 'account'): string {
  if (typeof value !== 'string' || !BANK_ACCOUNT.test(value)) throw new ValidationFailed({ [field]: [`${field} must be a bank account such as 512 or 5121`] });
  return value;
}
