import type { JsonValue } from '../db/schema.ts';

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** A text in every language the product speaks. */
export type Translated = Record<Locale, string>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best of our locales from an Accept-Language header ("de-DE,de;q=0.9,en;q=0.8"). */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked.find((entry) => isLocale(entry.lang))?.lang as Locale | undefined) ?? DEFAULT_LOCALE;
}

/** Fills {name} placeholders. */
export function format(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const TRANSLATION_KEYS = new Set<string>(LOCALES);

type Translatable = Partial<Record<Locale, string | string[]>>;

function isTextValue(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** `{"en": …, "de": …}` (either may be missing) with text values: a field the reader gets in one language. */
export function isTranslatable(value: unknown): value is Translatable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([key, text]) => TRANSLATION_KEYS.has(key) && isTextValue(text));
}

function isBlank(value: string | string[] | undefined): boolean {
  if (value === undefined) return true;
  return typeof value === 'string' ? value.trim() === '' : value.length === 0;
}

/**
 * Replaces every translatable field in `value` (at any depth: blocks, breadcrumbs…) by its text in `lang`.
 * A missing or blank one falls back to English (an English reader to German, so nothing shows empty) and its
 * JSON path (`title`, `blocks.2.heading`) is added to `fallbacks`.
 */
export function resolveLanguage(value: JsonValue, lang: Locale, fallbacks: string[], path = ''): JsonValue {
  if (isTranslatable(value)) {
    const own = value[lang];
    if (!isBlank(own)) return own ?? null;
    const other = value[lang === 'en' ? 'de' : 'en'];
    if (isBlank(other)) return own ?? null;
    fallbacks.push(path);
    return other ?? null;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveLanguage(item, lang, fallbacks, join(path, String(index))));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = resolveLanguage(item, lang, fallbacks, join(path, key));
    }
    return out;
  }
  return value;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
