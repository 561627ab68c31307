import type { Locale } from '../../platform/i18n/index.ts';
import { fieldOf } from './body.ts';
import { formText } from './messages.ts';

/** The e-mail format the JSON API checks (ajv-formats' "email", full mode), so the site accepts the same. */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** A field's id in the page: the error summary links to it, its label names it. */
export function fieldId(name: string): string {
  return `field-${name.replaceAll('_', '-')}`;
}

/** Characters as the JSON schemas count them (code points, not UTF-16 units). */
function length(value: string): number {
  return value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
}

interface TextRule {
  required?: boolean;
  max: number;
}

/**
 * Reads a posted form field by field and collects, in the order the fields were read (the order the form
 * shows them), one message per field in the page's language.
 */
export class Validation {
  readonly errors = new Map<string, string>();

  constructor(
    private readonly lang: Locale,
    private readonly body: unknown,
  ) {}

  get ok(): boolean {
    return this.errors.size === 0;
  }

  /** Records `message` for `name` unless the field has one already. */
  fail(name: string, message: string): void {
    if (!this.errors.has(name)) this.errors.set(name, message);
  }

  /** A text field, trimmed; '' when empty (and an error when required). */
  text(name: string, label: string, rule: TextRule): string {
    const value = fieldOf(this.body, name).trim();
    if (value === '') {
      if (rule.required) this.fail(name, formText(this.lang, 'required', { label }));
      return '';
    }
    const count = length(value);
    if (count > rule.max)
      this.fail(name, formText(this.lang, 'tooLong', { label, max: rule.max, length: count }));
    return value;
  }

  /** A required e-mail address, at most `max` characters. */
  email(name: string, label: string, max: number): string {
    const value = this.text(name, label, { required: true, max });
    if (value !== '' && !this.errors.has(name) && !EMAIL.test(value)) {
      this.fail(name, formText(this.lang, 'email', { label }));
    }
    return value;
  }

  /** One of `options` (a radio group or select), else an error. */
  choice<T extends string | number>(name: string, label: string, options: readonly T[]): T | undefined {
    const raw = fieldOf(this.body, name);
    const found = options.find((option) => String(option) === raw);
    if (found === undefined) this.fail(name, formText(this.lang, 'choose', { label }));
    return found;
  }

  /** A checkbox that must be ticked. */
  checked(name: string, message: string): boolean {
    const on = fieldOf(this.body, name) !== '';
    if (!on) this.fail(name, message);
    return on;
  }
}
