import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { connect, failureLine, loadRuntimeConfig, prepareSchema } from './platform/boot.ts';
import type { Database } from './platform/db/connection.ts';
import { seedEssentials } from './platform/seed.ts';

function announceFirstAdmin(email: string, password: string): void {
  const lines = [
    'First super admin created. This password is shown once; change it after signing in.',
    `  e-mail:   ${email}`,
    `  password: ${password}`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

async function start(): Promise<{ app: FastifyInstance; database: Database; config: Config }> {
  const config = await loadRuntimeConfig();
  const database = await connect(config, 'magnetiq server');
  try {
    const app = await buildApp({ config, database });
    await prepareSchema(database, (message) => {
      app.log.info(message);
    });
    const essentials = await seedEssentials(database.db, {
      email: config.adminEmail,
      password: config.adminPassword,
    });
    if (essentials.firstAdmin?.generatedPassword) {
      announceFirstAdmin(essentials.firstAdmin.email, essentials.firstAdmin.generatedPassword);
    }
    await app.listen({ port: config.port, host: config.host });
    return { app, database, config };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

function handleSignals({ app, database, config }: Awaited<ReturnType<typeof start>>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('shutdown took too long: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await app.close();
      await database.close();
      app.log.info('stopped');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, (s) => void stop(s));
  }
}

try {
  handleSignals(await start());
} catch (error) {
  process.stderr.write(`${failureLine(error)}\n`);
  process.exit(1);
}
