import type { FastifyInstance } from 'fastify';
import { sendHtml, type Caching, type HtmlAnswer } from '../html.ts';
import type { Site } from '../site.tsx';
import { SiteSearch } from './search.tsx';

/**
 * GET /en/search and /de/search (?q=…&page=N): the search page, rendered on the server; a GET form, so it works
 * without JavaScript. Answers are the visitor's own (Cache-Control private; the server keeps a copy per query).
 * A query longer than allowed is answered 400 with the page, the query kept in the field and the reason next to
 * it, in the page's language.
 */
export async function searchRoutes(app: FastifyInstance, site: Site): Promise<void> {
  const search = new SiteSearch({
    site,
    pages: app.publishedPages,
    settings: app.settings,
    database: app.database,
  });
  await search.cache.start();
  app.addHook('onClose', () => search.cache.stop());
  for (const lang of ['en', 'de'] as const) {
    app.get<{ Querystring: Record<string, unknown> }>(
      `/${lang}/search`,
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        let answer: HtmlAnswer;
        let caching: Caching = 'private';
        try {
          answer = await search.page(lang, request.query.q, request.query.page);
        } catch (error) {
          request.log.error({ err: error }, 'the website could not render the search page');
          answer = await site.error(lang);
          caching = 'none';
        }
        return sendHtml(request, reply, answer, caching);
      },
    );
  }
}
