import englishMessages from 'ra-language-english';
import { describe, expect, it } from 'vitest';
import { raGerman } from '../../admin/src/i18n/ra-german.ts';

/**
 * The panel's German react-admin messages against the maintained English ones: the same keys, the same
 * placeholders and the same plural forms, so a react-admin upgrade that adds or renames a message fails here.
 */

/** Every message of a tree by its dotted path, e.g. `ra.action.save` → `Save`. */
function flatten(tree: { readonly [key: string]: unknown }, prefix = ''): Map<string, string> {
  const messages = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix + key;
    if (typeof value === 'string') messages.set(path, value);
    else if (typeof value === 'object' && value !== null) {
      for (const entry of flatten(value as { readonly [key: string]: unknown }, `${path}.`)) {
        messages.set(...entry);
      }
    } else throw new Error(`${path} is neither a message nor a group of messages`);
  }
  return messages;
}

/** The polyglot plural forms of a message (one form when it has none). */
const formsOf = (message: string): string[] => message.split('||||');

/** The polyglot placeholders of a text, e.g. `%{smart_count}`. */
const placeholdersOf = (text: string): string[] => text.match(/%\{[^}]*\}/g) ?? [];

/**
 * Placeholders the German message takes under another name that react-admin passes as well: the sort label
 * gets the field's label as it is (`field`) and with a lowercased first letter (`field_lower_first`, for
 * English's "Sort by title"); German capitalises nouns, so it uses `field`.
 */
const RENAMED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ra.sort.sort_by': { '%{field_lower_first}': '%{field}' },
};

const english = flatten(englishMessages);
const german = flatten(raGerman);
/** The messages both have; the first test names the others. */
const shared = [...english].filter(([path]) => german.has(path));
const germanOf = (path: string): string => german.get(path) ?? '';

describe('German react-admin messages', () => {
  it('have exactly the keys of ra-language-english', () => {
    expect(english.size).toBeGreaterThan(100);
    const missing = [...english.keys()].filter((path) => !german.has(path));
    const unknown = [...german.keys()].filter((path) => !english.has(path));
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it('keep every placeholder of each English message, form by form, and add none', () => {
    const problems: string[] = [];
    for (const [path, message] of shared) {
      const renamed = RENAMED[path] ?? {};
      const germanForms = formsOf(germanOf(path));
      formsOf(message).forEach((form, index) => {
        const germanForm = germanForms[index] ?? '';
        for (const placeholder of placeholdersOf(form).map((name) => renamed[name] ?? name)) {
          if (!germanForm.includes(placeholder))
            problems.push(`${path} form ${index + 1} lacks ${placeholder}`);
        }
      });
      const known = new Set(placeholdersOf(message).map((name) => renamed[name] ?? name));
      for (const placeholder of placeholdersOf(germanOf(path))) {
        if (!known.has(placeholder))
          problems.push(`${path} has ${placeholder}, which react-admin does not pass`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('have as many plural forms as the English messages', () => {
    const problems = shared
      .filter(([path, message]) => formsOf(germanOf(path)).length !== formsOf(message).length)
      .map(([path, message]) => `${path}: ${formsOf(germanOf(path)).length}, not ${formsOf(message).length}`);
    expect(problems).toEqual([]);
  });

  it('have no empty message or plural form', () => {
    const problems = shared
      .filter(([path, message]) => {
        const germanForms = formsOf(germanOf(path));
        // A blank English form (`ra.boolean.null` is ' ') may stay blank in German, but not become empty.
        return formsOf(message).some((form, index) => {
          const germanForm = germanForms[index] ?? '';
          return form.trim() === '' ? germanForm === '' : germanForm.trim() === '';
        });
      })
      .map(([path]) => path);
    expect(problems).toEqual([]);
  });
});
