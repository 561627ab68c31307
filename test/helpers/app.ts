import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/platform/db/connection.ts';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    APP_SECRET: 'test-secret-that-is-at-least-32-characters',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'magnetiq-app-')),
    ...env,
  });
}

/** The real app on a test database, without a port: call it with app.inject(). */
export async function buildTestApp(
  database: Database,
  extend?: (app: FastifyInstance) => void | Promise<void>,
): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(), database, logger: false });
  if (extend) await extend(app);
  await app.ready();
  return app;
}
