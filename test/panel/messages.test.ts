// The panel's own messages: every module's English and German have the same keys, the same placeholders, and
// no empty text (a German screen never falls back to a key or to English).
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Messages = { [key: string]: string | Messages };
interface Bilingual {
  en: Messages;
  de: Messages;
}

const ADMIN = path.resolve(import.meta.dirname, '../../admin/src');

function leaves(tree: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else for (const [leaf, text] of leaves(value, name)) out.set(leaf, text);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The message files: the shell's, and each area's messages.ts. */
const files = [
  path.join(ADMIN, 'i18n/shell.ts'),
  ...readdirSync(path.join(ADMIN, 'resources'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(ADMIN, 'resources', entry.name, 'messages.ts'))
    .filter((file) => existsSync(file)),
];

describe('the panel’s messages', () => {
  it.each(files.map((file) => [path.relative(ADMIN, file), file]))(
    '%s: German for every English key',
    async (_name, file) => {
      const module = (await import(file)) as Record<string, unknown>;
      const catalogues = Object.values(module).filter(
        (value): value is Bilingual =>
          typeof value === 'object' && value !== null && 'en' in value && 'de' in value,
      );
      expect(catalogues.length).toBeGreaterThan(0);
      for (const { en, de } of catalogues) {
        const english = leaves(en);
        const german = leaves(de);
        expect([...german.keys()].sort()).toEqual([...english.keys()].sort());
        for (const [key, text] of english) {
          const translated = german.get(key) ?? '';
          expect(translated.trim(), key).not.toBe('');
          expect(placeholders(translated), key).toEqual(placeholders(text));
        }
      }
    },
  );
});
