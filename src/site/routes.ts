import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, negotiateLocale, type Locale } from '../platform/i18n/index.ts';
import { sendHtml } from './html.ts';
import type { Site } from './site.tsx';

/** The visitor's saved language choice (set by the language switch). */
export const LANGUAGE_COOKIE = 'site_lang';
const YEAR = 365 * 24 * 3600;
/** What a page's path may hold: slugs (a-z, 0-9, dashes) between slashes. */
const PAGE_PATH = /^(\/[a-z0-9]+(-[a-z0-9]+)*)*\/?$/;

const open = { access: 'public' as const };
const hidden = { hide: true };

/** The language saved by the switch, else the one the browser prefers. */
function visitorLanguage(request: FastifyRequest): Locale {
  const saved = request.cookies[LANGUAGE_COOKIE];
  return isLocale(saved) ? saved : negotiateLocale(request.headers['accept-language']);
}

/** The website's routes: /, /en/…, /de/…, the language switch, sitemap.xml and robots.txt. */
export function siteRoutes(app: FastifyInstance, site: Site): void {
  /** A page's answer, the 404 page when there is none, the error page when rendering fails. */
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    lang: Locale,
    work: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    try {
      return await work();
    } catch (error) {
      request.log.error({ err: error }, 'the website could not render a page');
      return sendHtml(request, reply, await site.error(lang), 'none');
    }
  }

  app.get('/', { config: open, schema: hidden }, (request, reply) => {
    const lang = visitorLanguage(request);
    return reply
      .header('vary', 'Accept-Language, Cookie')
      .header('cache-control', 'private, no-cache')
      .redirect(`/${lang}/`, 302);
  });

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>(
    '/language/:lang',
    { config: open, schema: hidden },
    (request, reply) => {
      const { lang } = request.params;
      if (!isLocale(lang)) return reply.redirect('/', 303);
      const next = request.query.next;
      // Only a page of this site in the chosen language: never another host ("//evil", "/\\evil").
      const target =
        typeof next === 'string' && new RegExp(`^/${lang}/[^/\\\\]?`).test(next) && !next.includes('//')
          ? next
          : `/${lang}/`;
      void reply.setCookie(LANGUAGE_COOKIE, lang, {
        path: '/',
        maxAge: YEAR,
        sameSite: 'lax',
        httpOnly: true,
        secure: app.config.publicUrl.startsWith('https://'),
      });
      return reply.header('cache-control', 'no-store').redirect(target, 303);
    },
  );

  for (const lang of ['en', 'de'] as const) {
    app.get(`/${lang}`, { config: open, schema: hidden }, (_request, reply) =>
      reply.redirect(`/${lang}/`, 301),
    );
    app.get<{ Params: { '*': string } }>(`/${lang}/*`, { config: open, schema: hidden }, (request, reply) =>
      render(request, reply, lang, async () => {
        const path = `/${request.params['*']}`;
        if (path.length > 1 && path.endsWith('/') && PAGE_PATH.test(path)) {
          return reply.redirect(`/${lang}${path.replace(/\/+$/, '')}`, 301);
        }
        const outcome = PAGE_PATH.test(path) && path.length <= 2000 ? await site.page(lang, path) : undefined;
        if (!outcome) return sendHtml(request, reply, await site.notFound(lang), 'public');
        if ('redirect' in outcome) return reply.redirect(outcome.redirect, 301);
        return sendHtml(request, reply, outcome.page, 'public');
      }),
    );
  }

  // An address without a language (an old link, a typed one): the same path in the visitor's language when it
  // could be a page, else the 404 page in that language.
  app.pageNotFound = async (request, reply) => {
    const lang = visitorLanguage(request);
    const path = (request.url.split('?')[0] ?? '/').replace(/\/+$/, '');
    if (PAGE_PATH.test(path) && path.length <= 2000) {
      return reply.header('cache-control', 'private, no-cache').redirect(`/${lang}${path}`, 302);
    }
    return render(request, reply, lang, async () =>
      sendHtml(request, reply, await site.notFound(lang), 'public'),
    );
  };

  app.get('/sitemap.xml', { config: open, schema: hidden }, async (request, reply) =>
    sendHtml(request, reply, await site.sitemap(), 'public'),
  );
  app.get('/robots.txt', { config: open, schema: hidden }, (request, reply) =>
    sendHtml(request, reply, site.robots(), 'public'),
  );
}
