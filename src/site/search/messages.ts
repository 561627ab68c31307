import type { Locale } from '../../platform/i18n/index.ts';

/**
 * The search page's own texts (the shared ones, such as searchTitle, searchResultsFor, searchCount, previous,
 * next and pageOf, are in src/site/messages.ts); German below has the same keys.
 */
const en = {
  /** The document title when a query was given. */
  titleFor: 'Search: {q}',
  /** The query was longer than allowed: shown above the field, tied to it. */
  tooLongError: 'Your search is {length} characters long. Please enter at most {max} characters.',
  /** A result page past the last one (an old link, a changed site). */
  pageEmpty: 'There are no more results on this page.',
  firstPage: 'Go to the first page of results',
  /** Shown before the path of a result, for screen readers. */
  address: 'Address:',
};

export type SearchMessages = typeof en;

const de: SearchMessages = {
  titleFor: 'Suche: {q}',
  tooLongError: 'Ihre Suche ist {length} Zeichen lang. Bitte geben Sie höchstens {max} Zeichen ein.',
  pageEmpty: 'Auf dieser Seite gibt es keine weiteren Ergebnisse.',
  firstPage: 'Zur ersten Ergebnisseite',
  address: 'Adresse:',
};

export const SEARCH_MESSAGES: Record<Locale, SearchMessages> = { en, de };

/** A text with its {placeholders} filled in (a function replacement: "$&" in a query stays as typed). */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
