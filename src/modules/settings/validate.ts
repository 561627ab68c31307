import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonValue } from '../../platform/db/schema.ts';
import type { ErrorDetail } from '../../platform/http/errors.ts';
import { createAjv } from '../../platform/http/validation.ts';
import { isTimeZone } from '../../platform/time-zone.ts';
import { MASK, type DataType } from './schemas.ts';

export { MASK };

const TYPE_NAMES: Record<DataType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  json: 'a JSON value',
  array: 'an array',
};

function hasDataType(value: JsonValue, dataType: DataType): boolean {
  switch (dataType) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'json':
      return true;
  }
}

/** Ajv's message, made specific where its default says too little ("must be equal to one of the allowed values"). */
function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`;
    case 'additionalProperties':
      return `must not have the property "${String(params['additionalProperty'])}"`;
    case 'format':
      if (params['format'] === 'time-zone') return 'must be an IANA time zone such as Europe/Berlin';
      return error.message ?? 'has the wrong format';
    default:
      return error.message ?? error.keyword;
  }
}

function detailOf(error: ErrorObject): ErrorDetail {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = (error.params as Record<string, unknown>)['missingProperty'];
  const field = ['value', path, typeof missing === 'string' ? missing : ''].filter(Boolean).join('.');
  return { field, code: error.keyword, message: messageOf(error) };
}

/**
 * Checks a setting's value against its data_type and its JSON schema (validation_rules). Compiled schemas are
 * kept, keyed by their text, so each is compiled once per process. Messages never quote the value (it may be
 * a secret).
 */
export class SettingValidator {
  readonly #ajv = createAjv({ coerceTypes: false, useDefaults: false });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.#ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  }

  #compile(rules: JsonValue): ValidateFunction {
    const text = JSON.stringify(rules);
    let validate = this.#compiled.get(text);
    if (!validate) {
      validate = this.#ajv.compile(rules as object);
      this.#compiled.set(text, validate);
    }
    return validate;
  }

  /** The problems with `value`; empty when it is fine. */
  check(
    setting: { data_type: string; validation_rules: JsonValue | null; is_sensitive: boolean },
    value: JsonValue,
  ): ErrorDetail[] {
    const dataType = setting.data_type as DataType;
    const rules = setting.validation_rules;
    if (setting.is_sensitive && value === MASK) {
      return [
        { field: 'value', code: 'masked', message: 'is the mask of the stored secret, not a new value' },
      ];
    }
    // null is a value only where the schema allows it (an optional connection setting, not set yet).
    const typed = value === null ? rules !== null : hasDataType(value, dataType);
    if (!typed) return [{ field: 'value', code: 'data_type', message: `must be ${TYPE_NAMES[dataType]}` }];
    if (rules === null) return [];
    const validate = this.#compile(rules);
    if (validate(value)) return [];
    // "must match "then" schema" only repeats the errors of the branch that failed.
    return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(detailOf);
  }
}
