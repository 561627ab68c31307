import type { FastifyInstance } from 'fastify';
import { Health } from './schemas.ts';
import type { HealthService } from './service.ts';

export function healthRoutes(app: FastifyInstance, health: HealthService): void {
  app.get(
    '/health/live',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getLiveness',
        tags: ['health'],
        summary: 'The process is up (no dependencies checked)',
        response: { 200: Health },
      },
    },
    () => health.live(),
  );

  app.get(
    '/health/ready',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'The process can serve requests: the database answers',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const ready = await health.ready();
      return reply.status(ready.status === 'ok' ? 200 : 503).send(ready);
    },
  );
}
