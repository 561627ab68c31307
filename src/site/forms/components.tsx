import type { ComponentChildren } from 'preact';
import type { Locale } from '../../platform/i18n/index.ts';
import { CSRF_FIELD } from './csrf.ts';
import { FORM_MESSAGES } from './messages.ts';
import { fieldId } from './validate.ts';

/** The name of the honeypot field: people never see it, bots fill it in. */
export const HONEYPOT_FIELD = 'website';

/** Messages by field name, in the order the form shows the fields. */
export type FieldErrors = ReadonlyMap<string, string>;

const errorId = (name: string) => `${fieldId(name)}-error`;
const hintId = (name: string) => `${fieldId(name)}-hint`;

function describedBy(name: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? hintId(name) : '', error ? errorId(name) : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/**
 * The top of a form that was refused: what went wrong, each field's message a link to the field. Focused by
 * the optional script; announced on load by its role.
 */
export function ErrorSummary({
  lang,
  errors,
  general,
}: {
  lang: Locale;
  errors: FieldErrors;
  /** A message about the whole form (an expired form, a time taken meanwhile). */
  general?: string | undefined;
}) {
  const t = FORM_MESSAGES[lang];
  if (errors.size === 0 && !general) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      data-error-summary=""
    >
      <h2 id="error-summary-title">{t.errorSummaryTitle}</h2>
      {general && <p>{general}</p>}
      {errors.size > 0 && (
        <>
          {!general && <p>{t.errorSummaryIntro}</p>}
          <ul>
            {[...errors].map(([name, message]) => (
              <li key={name}>
                <a href={`#${fieldId(name)}`}>{message}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function FieldError({ name, error }: { name: string; error: string | undefined }) {
  return error ? (
    <p class="field-error" id={errorId(name)}>
      {error}
    </p>
  ) : null;
}

interface TextFieldProps {
  lang: Locale;
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  optional?: boolean;
  type?: 'text' | 'email' | 'tel';
  maxLength: number;
  autoComplete?: string;
  /** A textarea of this many rows instead of an input. */
  rows?: number;
}

/** A labelled text input or textarea with its hint and its message, tied to it for assistive technology. */
export function TextField(props: TextFieldProps) {
  const { lang, name, label, value = '', error, hint, optional, type = 'text', maxLength, rows } = props;
  const id = fieldId(name);
  const common = {
    id,
    name,
    maxLength,
    autoComplete: props.autoComplete,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(name, Boolean(hint), Boolean(error)),
  };
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {optional && <span class="optional"> ({FORM_MESSAGES[lang].optional})</span>}
      </label>
      {hint && (
        <p class="hint" id={hintId(name)}>
          {hint}
        </p>
      )}
      <FieldError name={name} error={error} />
      {rows ? (
        <textarea {...common} rows={rows} value={value} />
      ) : (
        <input {...common} type={type} list={undefined} value={value} />
      )}
    </div>
  );
}

export interface Choice {
  value: string;
  label: ComponentChildren;
  /** A second line under the label. */
  note?: string | undefined;
}

/** Radio buttons in a fieldset: the legend names the question, the message sits under it. */
export function RadioGroup({
  name,
  legend,
  choices,
  value,
  error,
  class: className,
}: {
  name: string;
  legend: ComponentChildren;
  choices: Choice[];
  value?: string | undefined;
  error?: string | undefined;
  class?: string;
}) {
  const id = fieldId(name);
  return (
    <fieldset
      class={['field', 'choices', className, error ? 'invalid' : ''].filter(Boolean).join(' ')}
      aria-describedby={error ? errorId(name) : undefined}
    >
      <legend>{legend}</legend>
      <FieldError name={name} error={error} />
      {choices.map((choice, index) => {
        const own = index === 0 ? id : `${id}-${String(index + 1)}`;
        return (
          <div class="choice" key={choice.value}>
            <input
              type="radio"
              id={own}
              name={name}
              value={choice.value}
              checked={choice.value === value}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={choice.note ? `${own}-note` : undefined}
            />
            <label for={own}>
              {choice.label}
              {choice.note && (
                <span class="note" id={`${own}-note`}>
                  {choice.note}
                </span>
              )}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A checkbox that must be ticked (consent, a confirmation), with its message above it. */
export function Checkbox({
  name,
  label,
  checked,
  error,
}: {
  name: string;
  label: ComponentChildren;
  checked: boolean;
  error?: string | undefined;
}) {
  const id = fieldId(name);
  return (
    <div class={error ? 'field checkbox invalid' : 'field checkbox'}>
      <FieldError name={name} error={error} />
      <input
        type="checkbox"
        id={id}
        name={name}
        value="yes"
        checked={checked}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId(name) : undefined}
      />
      <label for={id}>{label}</label>
    </div>
  );
}

/**
 * The honeypot: a text field people never see or reach (off screen, hidden from assistive technology, out of
 * the tab order, no autofill). A form that comes back with it filled was sent by a bot.
 */
export function Honeypot({ lang }: { lang: Locale }) {
  const id = fieldId(HONEYPOT_FIELD);
  return (
    <div class="hp" aria-hidden="true">
      <label for={id}>{FORM_MESSAGES[lang].honeypotLabel}</label>
      <input type="text" id={id} name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" value="" />
    </div>
  );
}

/** The form's CSRF field (see csrf.ts). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}
