import type { ComponentChildren } from 'preact';
import { localPath, otherLang, type SiteContext } from './context.ts';
import { HeadTags, type PageHead } from './head.tsx';

interface DocumentProps {
  ctx: SiteContext;
  head: PageHead;
  /** The site path of the page shown (without the language), for the menu's current entry and the switch. */
  current?: string | undefined;
  /** Where the language switch leads: the same page in the other language by default. */
  twin?: string | undefined;
  children: ComponentChildren;
}

/** Every page of the site: head, header with the menu, search and language switch, the content, the footer. */
export function Document({ ctx, head, current, twin, children }: DocumentProps) {
  const { lang, t } = ctx;
  const other = otherLang(lang);
  const twinPath = twin ?? current ?? '/';
  const section = current?.split('/')[1];
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <HeadTags ctx={ctx} head={head} />
        <link rel="icon" href={ctx.assets.icon.url} type="image/svg+xml" />
        <link rel="stylesheet" href={ctx.assets.css.url} />
        <script src={ctx.assets.js.url} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="brand" href={localPath(lang, '/')}>
              {ctx.siteTitle}
            </a>
            {ctx.nav.length > 0 && (
              <nav class="nav" aria-label={t.mainNavigation}>
                <ul>
                  {ctx.nav.map((link) => (
                    <li key={link.href}>
                      <a
                        href={localPath(lang, link.href)}
                        aria-current={
                          current === link.href
                            ? 'page'
                            : section && link.href === `/${section}`
                              ? 'true'
                              : undefined
                        }
                      >
                        {link.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            <div class="tools">
              <form role="search" action={localPath(lang, '/search')} method="get">
                <label class="visually-hidden" for="site-search">
                  {t.searchLabel}
                </label>
                <input
                  id="site-search"
                  type="search"
                  name="q"
                  placeholder={t.searchPlaceholder}
                  maxLength={200}
                />
                <button type="submit">{t.searchSubmit}</button>
              </form>
              <a
                class="lang"
                href={`/language/${other}?next=${encodeURIComponent(localPath(other, twinPath))}`}
                hreflang={other}
                lang={other}
                aria-label={t.switchToLabel}
              >
                {t.switchTo}
              </a>
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <div class="wrap">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            {ctx.footerLinks.length > 0 && (
              <nav aria-label={t.footerNavigation}>
                <ul>
                  {ctx.footerLinks.map((link) => (
                    <li key={link.href}>
                      <a href={localPath(lang, link.href)}>{link.label}</a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {ctx.footerText && <p>{ctx.footerText}</p>}
            <p>
              {t.contact}: <a href={`mailto:${ctx.contactEmail}`}>{ctx.contactEmail}</a>
            </p>
            <p>
              © {ctx.siteTitle}. {t.allRightsReserved}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
