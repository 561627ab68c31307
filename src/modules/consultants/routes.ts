import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { languageOf } from '../../platform/http/headers.ts';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { authOf, byIdParam } from '../identity/index.ts';
import {
  ConsultantCreateSchema,
  ConsultantListQuerySchema,
  ConsultantPageSchema,
  ConsultantPatchSchema,
  ConsultantSchema,
  DeleteQuerySchema,
  PublicConsultantPageSchema,
  PublicConsultantSchema,
  PublicGetQuerySchema,
  PublicListQuerySchema,
} from './schemas.ts';
import type { ConsultantsService } from './service.ts';

export function consultantRoutes(app: FastifyInstance, consultants: ConsultantsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['consultants'];
  const read = { access: { permission: 'consultants.read' as const } };
  const manage = { access: { permission: 'consultants.manage' as const } };
  // The routes about one consultant (:id) also honour a grant scoped to them ("consultant:<id>").
  const consultant = byIdParam('consultant');
  const readOne = { access: { permission: 'consultants.read' as const, resource: consultant } };
  const manageOne = { access: { permission: 'consultants.manage' as const, resource: consultant } };

  r.get(
    '/api/v1/consultants',
    {
      config: read,
      schema: {
        operationId: 'listConsultants',
        tags,
        summary: 'List consultants (search, language, accepting bookings, trash), paginated',
        querystring: ConsultantListQuerySchema,
        response: { 200: ConsultantPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => consultants.list(request.query),
  );

  r.post(
    '/api/v1/consultants',
    {
      config: manage,
      schema: {
        operationId: 'createConsultant',
        tags,
        summary: 'Create a consultant',
        body: ConsultantCreateSchema,
        response: { 201: ConsultantSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await consultants.create(authOf(request), request.body, request.actor)),
  );

  r.get(
    '/api/v1/consultants/:id',
    {
      config: readOne,
      schema: {
        operationId: 'getConsultant',
        tags,
        summary: 'One consultant (deleted ones too)',
        params: IdParams,
        response: { 200: ConsultantSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => consultants.get(request.params.id),
  );

  r.patch(
    '/api/v1/consultants/:id',
    {
      config: manageOne,
      schema: {
        operationId: 'updateConsultant',
        tags,
        summary: 'Change a consultant (send the version you read)',
        params: IdParams,
        body: ConsultantPatchSchema,
        response: { 200: ConsultantSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => consultants.update(authOf(request), request.params.id, request.body, request.actor),
  );

  r.delete(
    '/api/v1/consultants/:id',
    {
      config: manageOne,
      schema: {
        operationId: 'deleteConsultant',
        tags,
        summary: 'Delete a consultant (soft: into the trash, restorable)',
        params: IdParams,
        querystring: DeleteQuerySchema,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await consultants.remove(authOf(request), request.params.id, request.query.version, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/consultants/:id/restore',
    {
      config: manageOne,
      schema: {
        operationId: 'restoreConsultant',
        tags,
        summary: 'Bring a consultant back from the trash (409 when the e-mail is taken meanwhile)',
        params: IdParams,
        response: { 200: ConsultantSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => consultants.restore(authOf(request), request.params.id, request.actor),
  );

  const publicTags = ['public'];

  r.get(
    '/api/v1/public/consultants',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listPublicConsultants',
        tags: publicTags,
        summary: 'Consultants a visitor may see (not deleted), biography in one language',
        querystring: PublicListQuerySchema,
        response: { 200: PublicConsultantPageSchema, ...errorResponses(400) },
      },
    },
    (request, reply) =>
      consultants.listPublic({
        lang: languageOf(request, reply),
        language: request.query.language,
        page: request.query.page,
        per_page: request.query.per_page,
      }),
  );

  r.get(
    '/api/v1/public/consultants/:id',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getPublicConsultant',
        tags: publicTags,
        summary: 'One consultant a visitor may see, biography in one language',
        params: IdParams,
        querystring: PublicGetQuerySchema,
        response: { 200: PublicConsultantSchema, ...errorResponses(400, 404) },
      },
    },
    (request, reply) => consultants.getPublic(request.params.id, languageOf(request, reply)),
  );
}
