// What the panel reads from a setting's JSON schema (validation_rules) to build its form and check a value
// before the API does (the API's check stays the authority and its reasons are shown as they come).

export interface Rules {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: Rules;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export function rulesOf(value: unknown): Rules {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function types(rules: Rules): string[] {
  return rules.type === undefined ? [] : Array.isArray(rules.type) ? rules.type : [rules.type];
}

/** Whether the schema lets the value be null ("not set"). */
export function allowsNull(rules: Rules): boolean {
  return types(rules).includes('null') || (rules.enum?.includes(null) ?? false);
}

export function isInteger(rules: Rules): boolean {
  return types(rules).includes('integer');
}

/** The string values an enum allows (null left out), or null when the schema has no string enum. */
export function stringEnum(rules: Rules): string[] | null {
  const values = rules.enum?.filter((value): value is string => typeof value === 'string');
  return values && values.length > 0 ? values : null;
}

export type Problem = { key: string; args?: Record<string, unknown> };

/** The first thing wrong with a number, as a message key. */
export function numberProblem(value: number, rules: Rules): Problem | null {
  if (!Number.isFinite(value)) return { key: 'magnetiq.settings.invalid.number' };
  if (isInteger(rules) && !Number.isInteger(value)) return { key: 'magnetiq.settings.invalid.integer' };
  if (rules.minimum !== undefined && value < rules.minimum)
    return { key: 'magnetiq.settings.invalid.minimum', args: { min: rules.minimum } };
  if (rules.maximum !== undefined && value > rules.maximum)
    return { key: 'magnetiq.settings.invalid.maximum', args: { max: rules.maximum } };
  if (rules.exclusiveMinimum !== undefined && value <= rules.exclusiveMinimum)
    return { key: 'magnetiq.settings.invalid.above', args: { min: rules.exclusiveMinimum } };
  if (rules.exclusiveMaximum !== undefined && value >= rules.exclusiveMaximum)
    return { key: 'magnetiq.settings.invalid.below', args: { max: rules.exclusiveMaximum } };
  if (
    rules.multipleOf !== undefined &&
    Math.abs(value / rules.multipleOf - Math.round(value / rules.multipleOf)) > 1e-9
  )
    return { key: 'magnetiq.settings.invalid.multiple', args: { step: rules.multipleOf } };
  return null;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true; // A pattern this browser cannot read: the API decides.
  }
}

/** The first thing wrong with a string, as a message key. */
export function stringProblem(value: string, rules: Rules): Problem | null {
  // Code points, as JSON schema counts them.
  const length = Array.from(value).length;
  if (rules.minLength !== undefined && length < rules.minLength)
    return { key: 'magnetiq.settings.invalid.min_length', args: { smart_count: rules.minLength } };
  if (rules.maxLength !== undefined && length > rules.maxLength)
    return { key: 'magnetiq.settings.invalid.max_length', args: { smart_count: rules.maxLength } };
  const allowed = stringEnum(rules);
  if (allowed && !allowed.includes(value)) return { key: 'magnetiq.settings.invalid.enum' };
  if (rules.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    return { key: 'magnetiq.settings.invalid.email' };
  if (rules.format === 'uri' && !URL.canParse(value)) return { key: 'magnetiq.settings.invalid.uri' };
  if (rules.pattern !== undefined && !matches(rules.pattern, value))
    return { key: 'magnetiq.settings.invalid.pattern' };
  return null;
}

/** Range hints for a number input ("between 1 and 100", "in steps of 5"). */
export function numberHint(rules: Rules): Problem | null {
  const min = rules.minimum ?? rules.exclusiveMinimum;
  const max = rules.maximum ?? rules.exclusiveMaximum;
  if (min !== undefined && max !== undefined)
    return rules.multipleOf
      ? { key: 'magnetiq.settings.hint.range_step', args: { min, max, step: rules.multipleOf } }
      : { key: 'magnetiq.settings.hint.range', args: { min, max } };
  if (min !== undefined) return { key: 'magnetiq.settings.hint.min', args: { min } };
  if (max !== undefined) return { key: 'magnetiq.settings.hint.max', args: { max } };
  return null;
}
