import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pageOf } from '../../platform/http/pagination.ts';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { authOf, byIdParam } from '../identity/index.ts';
import {
  HistoryEntrySchema,
  HistoryQuery,
  HistoryRestoreParams,
  PageCreate,
  PageListQuery,
  PagePatch,
  PageSchema,
  PageSummarySchema,
  ReorderBody,
  ScheduleBody,
  TreeNodeSchema,
  VersionBody,
  VersionQuery,
  type WorkflowAction,
} from './schemas.ts';
import type { PagesService } from './service.ts';

export function pageRoutes(app: FastifyInstance, pages: PagesService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['pages'];
  const read = { access: { permission: 'pages.read' as const } };
  const write = { access: { permission: 'pages.write' as const } };
  // The routes about one page (:id) also honour a grant scoped to it ("page:<id>").
  const page = byIdParam('page');
  const readPage = { access: { permission: 'pages.read' as const, resource: page } };
  const writePage = { access: { permission: 'pages.write' as const, resource: page } };
  const publish = { access: { permission: 'pages.publish' as const, resource: page } };

  r.get(
    '/api/v1/pages',
    {
      config: read,
      schema: {
        operationId: 'listPages',
        tags,
        summary: 'List pages (status, parent, search, trash), paginated: summaries without content or blocks',
        querystring: PageListQuery,
        response: { 200: pageOf(PageSummarySchema), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => pages.list(request.query),
  );

  r.get(
    '/api/v1/pages/tree',
    {
      config: read,
      schema: {
        operationId: 'getPageTree',
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
        operationId: 'createPage',
        tags,
        summary: 'Create a page (as a draft)',
        body: PageCreate,
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
        operationId: 'reorderPages',
        tags,
        summary: 'Move and order pages in one go (one transaction; the result must stay a tree)',
        body: ReorderBody,
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
      config: readPage,
      schema: {
        operationId: 'getPage',
        tags,
        summary: 'One page (deleted ones too)',
        params: IdParams,
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => pages.get(request.params.id),
  );

  r.patch(
    '/api/v1/pages/:id',
    {
      config: writePage,
      schema: {
        operationId: 'updatePage',
        tags,
        summary: 'Change a page (send the version you read); status changes through publish, schedule, …',
        params: IdParams,
        body: PagePatch,
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => pages.update(authOf(request), request.params.id, request.body, request.actor),
  );

  r.delete(
    '/api/v1/pages/:id',
    {
      config: writePage,
      schema: {
        operationId: 'deletePage',
        tags,
        summary: 'Delete a page (soft: into the trash, restorable); not while it has live subpages',
        params: IdParams,
        querystring: VersionQuery,
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
      config: writePage,
      schema: {
        operationId: 'restorePage',
        tags,
        summary: 'Bring a page back from the trash',
        params: IdParams,
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => pages.restore(authOf(request), request.params.id, request.actor),
  );

  r.delete(
    '/api/v1/pages/:id/purge',
    {
      config: writePage,
      schema: {
        operationId: 'purgePage',
        tags,
        summary: 'Delete a page in the trash for good (super admins only); its audit trail stays',
        params: IdParams,
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
          operationId: `${action}Page`,
          tags,
          summary,
          params: IdParams,
          body: VersionBody,
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
        operationId: 'schedulePage',
        tags,
        summary: 'Publish at a future time (a background job does it; survives restarts)',
        params: IdParams,
        body: ScheduleBody,
        response: { 200: PageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      pages.transition(authOf(request), request.params.id, 'schedule', request.body, request.actor),
  );

  r.get(
    '/api/v1/pages/:id/history',
    {
      config: readPage,
      schema: {
        operationId: 'listPageHistory',
        tags,
        summary:
          'Every change of the page from the audit trail (who, when, which fields, old and new values)',
        params: IdParams,
        querystring: HistoryQuery,
        response: { 200: pageOf(HistoryEntrySchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => pages.history(request.params.id, request.query),
  );

  r.post(
    '/api/v1/pages/:id/history/:audit_id/restore',
    {
      config: writePage,
      schema: {
        operationId: 'restorePageFromHistory',
        tags,
        summary: 'Bring back the content as it was before that change, as a new version',
        description:
          'Restores title, content, excerpt, blocks, meta fields, og_image, canonical_url and the slug (when no ' +
          'other live page uses it) from the entry’s old values (for the creation: its new values). Hierarchy ' +
          'and status stay.',
        params: HistoryRestoreParams,
        body: VersionBody,
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
