import { DomainError } from '../../common/errors/domain-error.js';
import { buildValidationPipe } from '../../common/validation/validation.pipe.js';
import { fieldErrorsOf, formValue, type FieldErrors } from '../view/forms.js';

const validation = buildValidationPipe();

/** The API's DTO checks on a form's values: the same rules, the same field-keyed refusal. */
export async function validated<T>(plain: Record<string, unknown>, metatype: new () => T): Promise<T> {
  return (await validation.transform(plain, { type: 'body', metatype })) as T;
}

/** The trimmed string values of the named form fields ('' when absent). */
export function formValues<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, formValue(body, n)?.trim() ?? ''])) as Record<K, string>;
}

/** An amount typed the French way (« 1 234,50 ») as the API reads it (1234.50); anything else is left for the DTO to refuse. */
export function amountOf(typed: string): string {
  const compact = typed.replace(/[\s\u00a0\u202f€]/g, '');
  return /^\d+,\d{1,2}$/.test(compact) ? compact.replace(',', '.') : compact;
}

/** '' → undefined, so an empty optional field is omitted rather than refused. */
export const optional = (v: string): string | undefined => (v === '' ? undefined : v);

/**
 * The refusal's field errors in French: each field the API named gets the page's French sentence for it (the API
 * speaks English); a field the page has no sentence for keeps the API's words rather than losing them.
 */
export function frenchFieldErrors(error: unknown, messages: Record<string, string>): FieldErrors | undefined {
  const errors = fieldErrorsOf(error);
  if (!errors) return undefined;
  return Object.fromEntries(Object.entries(errors).map(([field, msgs]) => [field, [messages[field] ?? msgs.join(' ')]]));
}

/** A refusal a form can show (4xx other than 404); anything else goes to the error page. */
export function isFormRefusal(e: unknown): e is DomainError {
  return e instanceof DomainError && e.status < 500 && e.status !== 404 && e.status !== 403;
}

export const FORM_HAS_ERRORS = 'Le formulaire contient des erreurs : corrigez les champs signalés.';
