import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface ModuleOptions {
  /** Modules whose services this one calls (their decorations must exist first); the platform always. */
  dependencies?: string[];
}

/**
 * A module of the product as a named Fastify plugin: it creates its services (and decorates the app with the
 * one other modules may call), defines its queues and registers its routes. Fastify refuses to start when a
 * dependency is missing or registered later, so the order in app.ts is checked.
 */
export function defineModule(
  name: string,
  options: ModuleOptions,
  register: (app: FastifyInstance) => void | Promise<void>,
) {
  return fp(
    async (app: FastifyInstance) => {
      await register(app);
    },
    { name, dependencies: ['platform', ...(options.dependencies ?? [])], fastify: '5.x' },
  );
}
