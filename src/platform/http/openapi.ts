import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Magnetiq API',
        version,
        description:
          'The JSON API of Magnetiq v2. Errors answer {"error": {"code", "message", "details"}}; messages follow ' +
          'Accept-Language (en, de).',
      },
      tags: [{ name: 'health', description: 'Liveness and readiness for load balancers and orchestrators' }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}
