// English and German for everything: react-admin's own messages (ra-language-english, and our German of them),
// then the panel's, area by area. The language starts as the browser's, and follows the user's profile once
// signed in (see LanguageSync); the app bar switches it and saves it to the profile.
import type { TranslationMessages } from 'ra-core';
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { resolveBrowserLocale } from 'react-admin';
import { setApiLanguage } from '../api/http.ts';
import { mergeMessages, type Messages } from '../i18n/messages.ts';
import { raGerman } from '../i18n/ra-german.ts';
import { panelMessages } from '../resources/registry.ts';

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogues: Record<Locale, Messages> = {
  en: mergeMessages(englishMessages as unknown as Messages, ...panelMessages.map((m) => m.en)),
  de: mergeMessages(raGerman as unknown as Messages, ...panelMessages.map((m) => m.de)),
};

declare global {
  interface Window {
    /** Keys a screen asked for that no catalogue has (the browser tests fail on any). */
    __missingTranslations?: string[];
  }
}

export const initialLocale: Locale = resolveBrowserLocale('en') === 'de' ? 'de' : 'en';
setApiLanguage(initialLocale);

export const i18nProvider = polyglotI18nProvider(
  (locale) => {
    const chosen: Locale = locale === 'de' ? 'de' : 'en';
    setApiLanguage(chosen);
    return catalogues[chosen] as TranslationMessages;
  },
  initialLocale,
  [
    { locale: 'en', name: 'English' },
    { locale: 'de', name: 'Deutsch' },
  ],
  {
    allowMissing: true,
    onMissingKey: (key: string) => {
      // A text with spaces is no key but a message already in words: the API's (in the user's language), which
      // react-admin's form passes to translate as it is (a server error's root.serverError). Shown, not missing.
      if (/\s/.test(key)) return key;
      (window.__missingTranslations ??= []).push(key);
      return key;
    },
  },
);
