import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Database } from '../../platform/db/connection.ts';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { negotiateLocale, type Locale } from '../../platform/i18n/index.ts';
import { PublicCache, type Rendered } from './cache.ts';
import { PublicPages } from './pages.ts';
import { MAX_QUERY_LENGTH, PageSearch } from './search.ts';

const Lang = Type.Union([Type.Literal('en'), Type.Literal('de')], {
  description: 'The language to answer in; without it, the best match of Accept-Language (else en)',
});
const Fallbacks = Type.Array(Type.String(), {
  description: 'JSON paths of the fields that had no text in `lang` and are given in English instead',
});
const Text = Type.Union([Type.String(), Type.Array(Type.String()), Type.Null()]);
const Timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const PublicPage = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  lang: Lang,
  path: Type.String({ description: 'The full path through the parent pages, e.g. /services/ai-audit' }),
  breadcrumbs: Type.Array(Type.Object({ slug: Type.String(), title: Text, path: Type.String() })),
  title: Text,
  excerpt: Text,
  content: Type.Union([Type.String(), Type.Null()], { description: 'Markdown' }),
  blocks: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: '{type, ...fields}, every text field in `lang`; media by media_id',
  }),
  meta_title: Text,
  meta_description: Text,
  meta_keywords: Text,
  og_image: Type.Union([Type.String(), Type.Null()]),
  canonical_url: Type.Union([Type.String(), Type.Null()]),
  published_at: Timestamp,
  updated_at: Timestamp,
  version: Type.Integer(),
  fallbacks: Fallbacks,
});

const NavItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  title: Text,
  path: Type.String(),
  children: Type.Array(Type.Unknown(), { description: 'Items of the same shape, by sort_order' }),
});

const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'Words, "a phrase", -not, or' }),
  lang: Type.Optional(Lang),
  ...pageQuery({ default: 10, max: 50 }),
});
const hitFields = {
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  title: Text,
  snippet: Type.String({ description: 'HTML: the hits in <mark>…</mark>, everything else escaped' }),
  rank: Type.Number(),
  published_at: Timestamp,
  fallbacks: Fallbacks,
};

/** ?lang= wins; else Accept-Language decides, and the answer says it varies by it. */
function languageOf(request: FastifyRequest, reply: FastifyReply): Locale {
  const { lang } = request.query as { lang?: Locale };
  if (lang) return lang;
  void reply.header('vary', 'accept-language');
  return negotiateLocale(request.headers['accept-language']);
}

/** A rendered answer with a short public cache lifetime; 304 when the client already has these bytes. */
function sendRendered(request: FastifyRequest, reply: FastifyReply, answer: Rendered): FastifyReply {
  void reply.header('cache-control', 'public, max-age=60').header('etag', answer.etag);
  if (request.headers['if-none-match'] === answer.etag) return reply.status(304).send();
  return reply.header('content-type', 'application/json; charset=utf-8').send(answer.body);
}

export interface PublicRoutesDeps {
  database: Database;
  /** Defaults to a cache listening on the database; tests may pass their own. */
  cache?: PublicCache;
}

/** The public site's read API (no sign-in) and the staff search over every page that is not deleted. */
export async function publicRoutes(app: FastifyInstance, deps: PublicRoutesDeps): Promise<void> {
  const cache = deps.cache ?? new PublicCache(deps.database);
  await cache.start();
  app.addHook('onClose', () => cache.stop());
  const pages = new PublicPages(deps.database.db, cache);
  const search = new PageSearch(deps.database.db);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['public'];
  const open = { access: 'public' as const };

  r.get(
    '/api/v1/public/pages/:slug',
    {
      config: open,
      schema: {
        tags,
        summary: 'A published page in one language, with path, breadcrumbs and SEO fields; no sign-in',
        description:
          'A field without text in `lang` is given in English and named in `fallbacks`. A page under an ' +
          'unpublished page is not found. Cache-Control: public, max-age=60; ETag, 304 on If-None-Match.',
        params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: Type.Object({ lang: Type.Optional(Lang) }),
        response: { 200: PublicPage, 304: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) =>
      sendRendered(request, reply, await pages.page(request.params.slug, languageOf(request, reply))),
  );

  r.get(
    '/api/v1/public/navigation',
    {
      config: open,
      schema: {
        tags,
        summary: 'The tree of published pages by sort_order, titles in one language, full paths; no sign-in',
        querystring: Type.Object({ lang: Type.Optional(Lang) }),
        response: {
          200: Type.Object({ lang: Lang, items: Type.Array(NavItem), fallbacks: Fallbacks }),
          304: Type.Null(),
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) =>
      sendRendered(request, reply, await pages.navigation(languageOf(request, reply))),
  );

  r.get(
    '/api/v1/public/search',
    {
      config: open,
      schema: {
        tags,
        summary: 'Full-text search over published pages, best first, with highlighted snippets; no sign-in',
        description:
          'The query is read in the language of `lang` (german stemming for de: "Häuser" finds "Haus"); ' +
          'a hit in the title ranks above one in the content.',
        querystring: SearchQuery,
        response: {
          200: pageOf(Type.Object({ ...hitFields, path: Type.String() })),
          ...errorResponses(400),
        },
      },
    },
    (request, reply) => search.published({ ...request.query, lang: languageOf(request, reply) }),
  );

  r.get(
    '/api/v1/pages/search',
    {
      config: { access: { permission: 'pages.read' } },
      schema: {
        tags: ['pages'],
        summary: 'Full-text search over every page that is not deleted (drafts too), with its status',
        querystring: SearchQuery,
        response: {
          200: pageOf(
            Type.Object({
              ...hitFields,
              status: Type.String(),
              updated_at: Type.String({ format: 'date-time' }),
            }),
          ),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    (request, reply) => search.all({ ...request.query, lang: languageOf(request, reply) }),
  );
}
