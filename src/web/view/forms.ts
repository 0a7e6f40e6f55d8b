import { DomainError, type FieldErrors } from '../../common/errors/domain-error.js';
import { CSRF_FIELD } from '../session/csrf.guard.js';
import { html, type Renderable, type SafeHtml } from './html.js';
import type { PageContext } from './page-context.js';

export type { FieldErrors };

/** The hidden field every POST form carries (CsrfGuard refuses a form without it). */
export function csrfField(ctx: Pick<PageContext, 'csrf'>): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`;
}

/** The field errors of a refusal (a problem's `errors` map), or undefined when it is not a validation error. */
export function fieldErrorsOf(error: unknown): FieldErrors | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const errors = error.extra.errors;
  return errors && typeof errors === 'object' ? (errors as FieldErrors) : undefined;
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local' | 'month' | 'search' | 'tel' | 'hidden';
  value?: string | null;
  errors?: FieldErrors;
  /** The key of `errors` when it differs from the name (e.g. a DTO field under another name). */
  errorKey?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'decimal' | 'text' | 'email';
  hint?: string;
  pattern?: string;
}

/** Label, input, hint and the field's error messages, wired together with aria-describedby/aria-invalid. */
export function field(o: FieldOptions): SafeHtml {
  const id = `f-${o.name}`;
  const messages = o.errors?.[o.errorKey ?? o.name] ?? [];
  const described = [o.hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${messages.length ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span class="required">(obligatoire)</span>` : ''}</label>
  ${o.hint && html`<p class="hint" id="${id}-hint">${o.hint}</p>`}
  ${messages.length > 0 && html`<p class="error" id="${id}-error">${messages.join(' ')}</p>`}
  <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.pattern ? html` pattern="${o.pattern}"` : ''}${
    described ? html` aria-describedby="${described}"` : ''
  }${messages.length ? html` aria-invalid="true"` : ''}>
</div>`;
}

export interface SelectOptions {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  errors?: FieldErrors;
  required?: boolean;
}

export function select(o: SelectOptions): SafeHtml {
  const id = `f-${o.name}`;
  const messages = o.errors?.[o.name] ?? [];
  return html`<div class="field${messages.length ? ' has-error' : ''}">
  <label for="${id}">${o.label}</label>
  ${messages.length > 0 && html`<p class="error" id="${id}-error">${messages.join(' ')}</p>`}
  <select id="${id}" name="${o.name}"${o.required ? html` required` : ''}${messages.length ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
    ${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
  </select>
</div>`;
}

/** A message at the top of a form: what went wrong overall (the fields say the rest). */
export function formError(message: string | undefined): Renderable {
  return message ? html`<div class="alert alert-error" role="alert"><p>${message}</p></div>` : '';
}

export function notice(message: string | undefined): Renderable {
  return message ? html`<div class="alert alert-ok" role="status"><p>${message}</p></div>` : '';
}

/** A POST form with its CSRF field. */
export function postForm(ctx: Pick<PageContext, 'csrf'>, action: string, body: Renderable, submit: string, attrs: { class?: string } = {}): SafeHtml {
  return html`<form method="post" action="${action}"${attrs.class ? html` class="${attrs.class}"` : ''}>
  ${csrfField(ctx)}
  ${body}
  <button type="submit">${submit}</button>
</form>`;
}

/**
 * A file upload form (multipart/form-data). Its CSRF token rides in the action's query string, not in a field: the
 * guard must check it before the route reads the body, and a multipart body is only read after the guards.
 */
export function uploadForm(ctx: Pick<PageContext, 'csrf'>, action: string, body: Renderable, submit: string, attrs: { class?: string } = {}): SafeHtml {
  const target = `${action}${action.includes('?') ? '&' : '?'}${CSRF_FIELD}=${encodeURIComponent(ctx.csrf)}`;
  return html`<form method="post" enctype="multipart/form-data" action="${target}"${attrs.class ? html` class="${attrs.class}"` : ''}>
  ${body}
  <button type="submit">${submit}</button>
</form>`;
}

/** The body's string value of a form field (the first when repeated), or undefined. */
export function formValue(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}
