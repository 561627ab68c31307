// The app bar's language switch: changes the panel's language at once and saves it to the user's profile, so
// the next sign-in (and the API's mails) use it too.
import LanguageIcon from '@mui/icons-material/Translate';
import { Button, Menu, MenuItem } from '@mui/material';
import { useEffect, useState, type MouseEvent } from 'react';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { api } from '../api/http.ts';
import type { Answer } from '../api/types.ts';
import { currentMe, onMeChange, updateMeUser } from '../auth/session.ts';
import { LOCALES, type Locale } from '../providers/i18nProvider.ts';

export function LanguageSwitch() {
  const [locale, setLocale] = useLocaleState();
  const translate = useTranslate();
  const notify = useNotify();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);

  const choose = async (next: Locale) => {
    setAnchor(null);
    if (next === locale) return;
    setLocale(next);
    const me = currentMe();
    if (!me) return;
    try {
      const user = await api<Answer<'updateOwnProfile'>>('PATCH', '/auth/me', {
        body: { language: next, version: me.user.version },
      });
      updateMeUser(user);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'warning' });
    }
  };

  return (
    <>
      <Button
        color="inherit"
        startIcon={<LanguageIcon />}
        aria-label={`${translate('magnetiq.language.label')}: ${locale.toUpperCase()}`}
        aria-haspopup="menu"
        aria-controls={anchor ? 'language-menu' : undefined}
        onClick={(event: MouseEvent<HTMLElement>) => {
          setAnchor(event.currentTarget);
        }}
      >
        {locale.toUpperCase()}
      </Button>
      <Menu
        id="language-menu"
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => {
          setAnchor(null);
        }}
      >
        {LOCALES.map((option) => (
          <MenuItem
            key={option}
            selected={option === locale}
            lang={option}
            onClick={() => void choose(option)}
          >
            {translate(`magnetiq.language.${option}`)}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}

/** Follows the profile's language whenever the signed-in user is (re)loaded. */
export function LanguageSync() {
  const [locale, setLocale] = useLocaleState();
  useEffect(() => {
    const follow = () => {
      const language = currentMe()?.user.language;
      if (language && language !== locale) setLocale(language);
    };
    follow();
    return onMeChange(follow);
  }, [locale, setLocale]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return null;
}
