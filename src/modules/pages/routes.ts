import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authOf } from '../identity/guard.ts';
import { BLOCK_TYPES, Text } from './blocks.ts';
import {
  PAGE_SORTS,
  PAGE_STATUSES,
  PagesService,
  SLUG_PATTERN,
  type PagesDeps,
  type WorkflowAction,
} from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Uuid = Type.String({ format: 'uuid' });
const Version = Type.Integer({ minimum: 1, description: 'The version you read; a stale one answers 409' });
const Slug = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: SLUG_PATTERN,
  description:
    'lowercase letters, digits and dashes; unique among live pages; not a reserved word (api, admin, en, de, media, …)',
});
const Nullable = <T extends ReturnType<typeof Text>>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Blocks = Type.Array(Type.Object({ type: Type.String() }, { additionalProperties: true }), {
  maxItems: 200,
  description: `Page builder blocks, each {"type", ...fields}; types: ${BLOCK_TYPES.join(', ')}`,
});
const Url = Type.String({ maxLength: 500, format: 'uri' });
const ImageRef = Type.String({ minLength: 1, maxLength: 500, description: 'URL or site path of the image' });

const Fields = {
  content: Nullable(Text(200_000)),
  excerpt: Nullable(Text(1000)),
  blocks: Type.Optional(Type.Union([Blocks, Type.Null()])),
  meta_title: Nullable(Text(200)),
  meta_description: Nullable(Text(500)),
  meta_keywords: Nullable(Text(500)),
  og_image: Type.Optional(Type.Union([ImageRef, Type.Null()])),
  canonical_url: Type.Optional(Type.Union([Url, Type.Null()])),
  parent_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  sort_order: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
};

const TextOut = Type.Object({ en: Type.Optional(Type.String()), de: Type.Optional(Type.String()) });
const NullableText = Type.Union([TextOut, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const Status = Type.Union(PAGE_STATUSES.map((s) => Type.Literal(s)));

const PageSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  path: Type.String({ description: 'Full path from the root, e.g. /services/ai-audit' }),
  title: TextOut,
  content: NullableText,
  excerpt: NullableText,
  blocks: Type.Unknown({ description: 'Array of blocks or null' }),
  meta_title: NullableText,
  meta_description: NullableText,
  meta_keywords: NullableText,
  og_image: Type.Union([Type.String(), Type.Null()]),
  canonical_url: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  published_at: NullableTime,
  scheduled_at: NullableTime,
  parent_id: Type.Union([Uuid, Type.Null()]),
  sort_order: Type.Integer(),
  created_at: Time,
  updated_at: Time,
  created_by: Uuid,
  updated_by: Uuid,
  deleted_at: NullableTime,
  version: Type.Integer(),
});

const TreeNodeSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  path: Type.String(),
  title: TextOut,
  status: Type.String(),
  sort_order: Type.Integer(),
  version: Type.Integer(),
  children: Type.Array(Type.Unknown(), { description: 'Nodes of the same shape, one level down' }),
});

const HistoryEntrySchema = Type.Object({
  id: Uuid,
  event_type: Type.String({ description: 'INSERT, UPDATE, SOFT_DELETE, RESTORE or DELETE' }),
  created_at: Time,
  user_id: Type.Union([Uuid, Type.Null()]),
  user_email: Type.Union([Type.String(), Type.Null()]),
  changed_fields: Type.Union([Type.Array(Type.String()), Type.Null()]),
  old_values: Type.Unknown(),
  new_values: Type.Unknown(),
});

export function pageRoutes(app: FastifyInstance, deps: PagesDeps): void {
  const pages = new PagesService(deps);
  pages.defineJobs();
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['pages'];
  const read = { access: { permission: 'pages.read' as const } };
  const write = { access: { permission: 'pages.write' as const } };
  const publish = { access: { permission: 'pages.publish' as const } };

  r.get(
    '/api/v1/pages',
    {
      config: read,
      schema: {
        tags,
        summary: 'List pages (status, parent, search, trash), paginated',
        querystring: Type.Object({
          status: Type.Optional(Status),
          parent_id: Type.Optional(
            Type.Union([Uuid, Type.Literal('root')], { description: '"root": top-level pages' }),
          ),
          q: Type.Optional(
            Type.String({ maxLength: 200, description: 'Words in title or content, or part of the slug' }),
          ),
          deleted: Type.Optional(
            Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
              default: 'exclude',
              description: '"only" is the trash',
            }),
          ),
          sort: Type.Optional(
            Type.Union(
              PAGE_SORTS.map((s) => Type.Literal(s)),
              { default: '-updated_at' },
            ),
          ),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: pageOf(PageSchema), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => pages.list(request.query),
  );

  r.get(
    '/api/v1/pages/tree',
    {
      config: read,
      schema: {
        tags,
        summary: 'Every live page nested under its parent, with full paths',
        response: {
          200: Type.Object({ items: Type.Array(TreeNodeSchema) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ items: await pages.tree() }),
  );

  r.post(
    '/api/v1/pages',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a page (as a draft)',
        body: Type.Object({ slug: Slug, title: Text(200), ...Fields }, { additionalProperties: false }),
        response: { 201: PageSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await pages.create(authOf(request), request.body, request.actor)),
  );

  r.post(
    '/api/v1/pages/reorder',
    {
      config: write,
      schema: {
        tags,
        summary: 'Move and order pages in one go (one transaction; the result must stay a tree)',
        body: Type.Array(
          Type.Object(
            {
              id: Uuid,
              parent_id: Type.Union([Uuid, Type.Null()]),
              sort_order: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
              version: Type.Optional(Version),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 1000 },
        ),
        response: {
          200: Type.Object({ items: Type.Array(PageSchema) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => ({ items: await pages.reorder(authOf(request), request.body, request.actor) }),
  );

  r.get(
    '/api/v1/pages/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One page (deleted ones too)',
        params: Id,
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => pages.get(request.params.id),
  );

  r.patch(
    '/api/v1/pages/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a page (send the version you read); status changes through publish, schedule, …',
        params: Id,
        body: Type.Object(
          { version: Version, slug: Type.Optional(Slug), title: Type.Optional(Text(200)), ...Fields },
          { additionalProperties: false },
        ),
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => pages.update(authOf(request), request.params.id, request.body, request.actor),
  );

  r.delete(
    '/api/v1/pages/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a page (soft: into the trash, restorable); not while it has live subpages',
        params: Id,
        querystring: Type.Object({ version: Type.Optional(Version) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await pages.remove(authOf(request), request.params.id, request.query.version, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/pages/:id/restore',
    {
      config: write,
      schema: {
        tags,
        summary: 'Bring a page back from the trash',
        params: Id,
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => pages.restore(authOf(request), request.params.id, request.actor),
  );

  r.delete(
    '/api/v1/pages/:id/purge',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a page in the trash for good (super admins only); its audit trail stays',
        params: Id,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await pages.purge(authOf(request), request.params.id, request.actor);
      return reply.status(204).send(null);
    },
  );

  const actions: [WorkflowAction, string][] = [
    ['publish', 'Publish now (draft, scheduled or archived); cancels a pending schedule'],
    ['unpublish', 'Back to draft (published or scheduled); cancels a pending schedule'],
    ['unschedule', 'Cancel a scheduled publication: back to draft'],
    ['archive', 'Archive (off the site, kept); cancels a pending schedule'],
  ];
  for (const [action, summary] of actions) {
    r.post(
      `/api/v1/pages/:id/${action}`,
      {
        config: publish,
        schema: {
          tags,
          summary,
          params: Id,
          body: Type.Object({ version: Version }, { additionalProperties: false }),
          response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => pages.transition(authOf(request), request.params.id, action, request.body, request.actor),
    );
  }

  r.post(
    '/api/v1/pages/:id/schedule',
    {
      config: publish,
      schema: {
        tags,
        summary: 'Publish at a future time (a background job does it; survives restarts)',
        params: Id,
        body: Type.Object({ version: Version, scheduled_at: Time }, { additionalProperties: false }),
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      pages.transition(authOf(request), request.params.id, 'schedule', request.body, request.actor),
  );

  r.get(
    '/api/v1/pages/:id/history',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Every change of the page from the audit trail (who, when, which fields, old and new values)',
        params: Id,
        querystring: Type.Object({ ...pageQuery({ default: 50, max: 200 }) }),
        response: { 200: pageOf(HistoryEntrySchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => pages.history(request.params.id, request.query),
  );

  r.post(
    '/api/v1/pages/:id/history/:audit_id/restore',
    {
      config: write,
      schema: {
        tags,
        summary: 'Bring back the content as it was before that change, as a new version',
        description:
          'Restores title, content, excerpt, blocks, meta fields, og_image, canonical_url and the slug (when no ' +
          'other live page uses it) from the entry’s old values (for the creation: its new values). Hierarchy ' +
          'and status stay.',
        params: Type.Object({ id: Uuid, audit_id: Uuid }),
        body: Type.Object({ version: Version }, { additionalProperties: false }),
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      pages.restoreFromHistory(
        authOf(request),
        request.params.id,
        request.params.audit_id,
        request.body.version,
        request.actor,
      ),
  );
}
