import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { languageOf } from '../../platform/http/headers.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { Rendered } from './cache.ts';
import type { PublicPages } from './pages.ts';
import {
  AdminHits,
  LangQuery,
  Navigation,
  NavigationQuery,
  PublicHits,
  PublicPage,
  SearchQuery,
  SlugParams,
} from './schemas.ts';
import type { PageSearch } from './search.ts';

/** A rendered answer with a short public cache lifetime; 304 when the client already has these bytes. */
function sendRendered(request: FastifyRequest, reply: FastifyReply, answer: Rendered): FastifyReply {
  void reply.header('cache-control', 'public, max-age=60').header('etag', answer.etag);
  if (request.headers['if-none-match'] === answer.etag) return reply.status(304).send();
  return reply.header('content-type', 'application/json; charset=utf-8').send(answer.body);
}

/** The public site's read API (no sign-in) and the staff search over every page that is not deleted. */
export function publicRoutes(app: FastifyInstance, pages: PublicPages, search: PageSearch): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['public'];
  const open = { access: 'public' as const };

  r.get(
    '/api/v1/public/pages/:slug',
    {
      config: open,
      schema: {
        operationId: 'getPublicPage',
        tags,
        summary: 'A published page in one language, with path, breadcrumbs and SEO fields; no sign-in',
        description:
          'A field without text in `lang` is given in English and named in `fallbacks`. A page under an ' +
          'unpublished page is not found. Cache-Control: public, max-age=60; ETag, 304 on If-None-Match.',
        params: SlugParams,
        querystring: LangQuery,
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
        operationId: 'getPublicNavigation',
        tags,
        summary:
          'A part of the tree of published pages by sort_order, titles in one language, full paths; no sign-in',
        description:
          'The top level (or the pages under `parent`), `depth` levels down (2 by default), at most `limit` ' +
          'pages under each page (50 by default); `child_count` and `total` tell how many there are, so a ' +
          'client reads a section with `parent` when it opens it. Without parameters it answered the whole ' +
          'tree before (1.5 MB for 10,000 pages); the shape of the items is unchanged. ' +
          'Cache-Control: public, max-age=60; ETag, 304 on If-None-Match.',
        querystring: NavigationQuery,
        response: {
          200: Navigation,
          304: Type.Null(),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) =>
      sendRendered(
        request,
        reply,
        await pages.navigation(languageOf(request, reply), {
          parent: request.query.parent,
          depth: request.query.depth,
          limit: request.query.limit,
        }),
      ),
  );

  r.get(
    '/api/v1/public/search',
    {
      config: open,
      schema: {
        operationId: 'searchPublicPages',
        tags,
        summary: 'Full-text search over published pages, best first, with highlighted snippets; no sign-in',
        description:
          'The query is read in the language of `lang` (german stemming for de: "Häuser" finds "Haus"); ' +
          'a hit in the title ranks above one in the content.',
        querystring: SearchQuery,
        response: {
          200: PublicHits,
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
        operationId: 'searchPages',
        tags: ['pages'],
        summary: 'Full-text search over every page that is not deleted (drafts too), with its status',
        querystring: SearchQuery,
        response: {
          200: AdminHits,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    (request, reply) => search.all({ ...request.query, lang: languageOf(request, reply) }),
  );
}
