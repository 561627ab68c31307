// The form of one setting, built from its data_type and its JSON schema: a switch for a boolean, a number input
// with its range, a select for a string enum (a time zone picker for format "time-zone"), a text input, check
// boxes for an array of enum values, one line per entry for an array of strings, and a JSON text area checked
// as it is typed for JSON.
import {
  Autocomplete,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  MenuItem,
  Switch,
  TextField,
} from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Answer } from '../../api/types.ts';
import { timeZoneNames } from '../profile/timeZones.ts';
import { readableErrorLabel } from '../users/a11y.ts';
import {
  allowsNull,
  isInteger,
  numberHint,
  numberProblem,
  rulesOf,
  stringEnum,
  stringProblem,
  type Problem,
  type Rules,
} from './rules.ts';

export type Setting = Answer<'listSettings'>['items'][number];

export type Draft =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'choices'; values: string[] }
  | { kind: 'lines'; text: string }
  | { kind: 'json'; text: string };

const pretty = (value: unknown) =>
  value === null || value === undefined ? '' : JSON.stringify(value, null, 2);

/** The form's start: the value as it is, or (replacing a sensitive one) empty. */
export function draftOf(setting: Setting, value: unknown, empty = false): Draft {
  const rules = rulesOf(setting.validation_rules);
  switch (setting.data_type) {
    case 'boolean':
      return { kind: 'boolean', value: value === true };
    case 'number':
      return { kind: 'number', text: empty || typeof value !== 'number' ? '' : String(value) };
    case 'string':
      return { kind: 'text', text: empty || typeof value !== 'string' ? '' : value };
    case 'array': {
      const list = !empty && Array.isArray(value) ? value : [];
      if (rules.items && stringEnum(rules.items)) return { kind: 'choices', values: list.map(String) };
      if (rulesOf(rules.items).type === 'string' && list.every((item) => typeof item === 'string'))
        return { kind: 'lines', text: list.join('\n') };
      return { kind: 'json', text: empty ? '' : pretty(value) };
    }
    case 'json':
      return { kind: 'json', text: empty ? '' : pretty(value) };
  }
}

export type Parsed = { ok: true; value: unknown } | { ok: false; problem: Problem };

const fail = (key: string, args?: Record<string, unknown>): Parsed => ({
  ok: false,
  problem: { key, ...(args ? { args } : {}) },
});

/** The value a draft stands for, or the first problem with it. */
export function parseDraft(draft: Draft, setting: Setting): Parsed {
  const rules = rulesOf(setting.validation_rules);
  switch (draft.kind) {
    case 'boolean':
      return { ok: true, value: draft.value };
    case 'number': {
      if (draft.text.trim() === '')
        return allowsNull(rules) ? { ok: true, value: null } : fail('magnetiq.settings.invalid.required');
      const value = Number(draft.text);
      const problem = numberProblem(value, rules);
      return problem ? { ok: false, problem } : { ok: true, value };
    }
    case 'text': {
      if (draft.text === '' && allowsNull(rules)) return { ok: true, value: null };
      const problem = stringProblem(draft.text, rules);
      return problem ? { ok: false, problem } : { ok: true, value: draft.text };
    }
    case 'choices': {
      if (rules.minItems !== undefined && draft.values.length < rules.minItems)
        return fail('magnetiq.settings.invalid.min_items', { smart_count: rules.minItems });
      // In the schema's order, as the API lists them.
      const order = stringEnum(rules.items ?? {}) ?? [];
      return { ok: true, value: order.filter((option) => draft.values.includes(option)) };
    }
    case 'lines': {
      const items = draft.text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const itemRules = rulesOf(rules.items);
      for (const [index, item] of items.entries()) {
        const problem = stringProblem(item, itemRules);
        if (problem)
          return fail('magnetiq.settings.invalid.line', {
            line: index + 1,
            problem: problem.key,
            args: problem.args,
          });
      }
      if (rules.uniqueItems && new Set(items).size !== items.length)
        return fail('magnetiq.settings.invalid.unique');
      if (rules.minItems !== undefined && items.length < rules.minItems)
        return fail('magnetiq.settings.invalid.min_items', { smart_count: rules.minItems });
      if (rules.maxItems !== undefined && items.length > rules.maxItems)
        return fail('magnetiq.settings.invalid.max_items', { smart_count: rules.maxItems });
      return { ok: true, value: items };
    }
    case 'json': {
      if (draft.text.trim() === '')
        return allowsNull(rules) ? { ok: true, value: null } : fail('magnetiq.settings.invalid.required');
      try {
        const value: unknown = JSON.parse(draft.text);
        if (setting.data_type === 'array' && !Array.isArray(value))
          return fail('magnetiq.settings.invalid.array');
        return { ok: true, value };
      } catch (error) {
        // Where it went wrong, from the browser's message (its words are English whatever the panel's language).
        const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
        if (position === undefined) return fail('magnetiq.settings.invalid.json');
        const before = draft.text.slice(0, Number(position)).split('\n');
        return fail('magnetiq.settings.invalid.json_at', {
          line: before.length,
          column: (before.at(-1)?.length ?? 0) + 1,
        });
      }
    }
  }
}

/** A problem in words (a line's problem names the line and its own reason). */
export function useProblemText(): (problem: Problem) => string {
  const translate = useTranslate();
  return (problem) => {
    const args = problem.args ?? {};
    if (problem.key === 'magnetiq.settings.invalid.line') {
      return translate(problem.key, {
        line: args['line'],
        problem: translate(String(args['problem']), (args['args'] as object | undefined) ?? {}),
      });
    }
    return translate(problem.key, args);
  };
}

export function SettingEditor({
  setting,
  draft,
  onChange,
  label,
  secret,
  problem,
}: {
  setting: Setting;
  draft: Draft;
  onChange: (draft: Draft) => void;
  label: string;
  /** Typing a sensitive value: a password input. */
  secret: boolean;
  /** Shown once the person tried to save, or as they type where that helps (JSON). */
  problem: string | null;
}) {
  const translate = useTranslate();
  const rules: Rules = rulesOf(setting.validation_rules);
  const nullable = allowsNull(rules);
  const emptyHint = nullable ? translate('magnetiq.settings.hint.empty_unset') : undefined;
  const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ');

  switch (draft.kind) {
    case 'boolean':
      return (
        <FormControlLabel
          control={
            <Switch
              checked={draft.value}
              onChange={(event) => {
                onChange({ kind: 'boolean', value: event.target.checked });
              }}
            />
          }
          label={`${label}: ${translate(draft.value ? 'magnetiq.settings.on' : 'magnetiq.settings.off')}`}
        />
      );
    case 'number': {
      const hint = numberHint(rules);
      return (
        <TextField
          type="number"
          label={label}
          autoFocus
          fullWidth
          value={draft.text}
          error={problem !== null}
          sx={readableErrorLabel}
          helperText={problem ?? join(hint ? translate(hint.key, hint.args) : null, emptyHint)}
          onChange={(event) => {
            onChange({ kind: 'number', text: event.target.value });
          }}
          slotProps={{
            htmlInput: {
              min: rules.minimum ?? rules.exclusiveMinimum,
              max: rules.maximum ?? rules.exclusiveMaximum,
              step: rules.multipleOf ?? (isInteger(rules) ? 1 : 'any'),
              inputMode: isInteger(rules) ? 'numeric' : 'decimal',
            },
          }}
        />
      );
    }
    case 'text': {
      const options = stringEnum(rules);
      if (options) {
        return (
          <TextField
            select
            label={label}
            fullWidth
            value={draft.text}
            error={problem !== null}
            sx={readableErrorLabel}
            helperText={problem ?? emptyHint}
            onChange={(event) => {
              onChange({ kind: 'text', text: event.target.value });
            }}
          >
            {nullable && (
              <MenuItem value="">
                <em>{translate('magnetiq.settings.not_set')}</em>
              </MenuItem>
            )}
            {options.map((option) => (
              <MenuItem key={option} value={option}>
                {option}
              </MenuItem>
            ))}
          </TextField>
        );
      }
      if (rules.format === 'time-zone') {
        return (
          <Autocomplete
            options={timeZoneNames(draft.text || null)}
            value={draft.text || null}
            onChange={(_event, zone) => {
              onChange({ kind: 'text', text: zone ?? '' });
            }}
            renderInput={(params) => (
              <TextField
                {...params}
                label={label}
                error={problem !== null}
                helperText={problem ?? emptyHint}
              />
            )}
          />
        );
      }
      const long = (rules.maxLength ?? 0) > 255 && !secret;
      return (
        <TextField
          label={label}
          autoFocus
          fullWidth
          type={
            secret ? 'password' : rules.format === 'email' ? 'email' : rules.format === 'uri' ? 'url' : 'text'
          }
          autoComplete={secret ? 'new-password' : 'off'}
          multiline={long}
          minRows={long ? 2 : undefined}
          value={draft.text}
          error={problem !== null}
          sx={readableErrorLabel}
          helperText={
            problem ??
            join(
              rules.maxLength
                ? translate('magnetiq.settings.hint.max_length', { smart_count: rules.maxLength })
                : null,
              emptyHint,
            )
          }
          onChange={(event) => {
            onChange({ kind: 'text', text: event.target.value });
          }}
          slotProps={{ htmlInput: { maxLength: rules.maxLength } }}
        />
      );
    }
    case 'choices': {
      const options = stringEnum(rules.items ?? {}) ?? [];
      return (
        <FormControl error={problem !== null} component="fieldset">
          <FormLabel component="legend">{label}</FormLabel>
          <FormGroup row>
            {options.map((option) => (
              <FormControlLabel
                key={option}
                label={option}
                control={
                  <Checkbox
                    checked={draft.values.includes(option)}
                    onChange={(event) => {
                      onChange({
                        kind: 'choices',
                        values: event.target.checked
                          ? [...draft.values, option]
                          : draft.values.filter((value) => value !== option),
                      });
                    }}
                  />
                }
              />
            ))}
          </FormGroup>
          {problem && <FormHelperText>{problem}</FormHelperText>}
        </FormControl>
      );
    }
    case 'lines':
      return (
        <TextField
          label={label}
          autoFocus
          fullWidth
          multiline
          minRows={3}
          value={draft.text}
          error={problem !== null}
          sx={readableErrorLabel}
          helperText={problem ?? translate('magnetiq.settings.hint.lines')}
          onChange={(event) => {
            onChange({ kind: 'lines', text: event.target.value });
          }}
          slotProps={{ htmlInput: { spellCheck: false } }}
        />
      );
    case 'json':
      return (
        <TextField
          label={label}
          autoFocus
          fullWidth
          multiline
          minRows={6}
          maxRows={20}
          value={draft.text}
          error={problem !== null}
          sx={readableErrorLabel}
          helperText={problem ?? join(translate('magnetiq.settings.hint.json'), emptyHint)}
          onChange={(event) => {
            onChange({ kind: 'json', text: event.target.value });
          }}
          slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
        />
      );
  }
}
