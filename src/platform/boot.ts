import { ConfigError, loadConfig, type Config } from '../config.ts';
import { databaseOptionsFrom, describeDatabase, openDatabase, type Database } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { ping } from './db/ping.ts';
import { ensureAuditPartitions } from './jobs/maintenance/repository.ts';
import { AppError } from './http/errors.ts';
import { resolveAppSecret } from './secrets.ts';

/** A failure to start, told in one line. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The line an operator reads: the message of a failure we expected, the whole stack of one we did not. */
export function failureLine(error: unknown): string {
  const expected = error instanceof ConfigError || error instanceof StartupError || error instanceof AppError;
  return `magnetiq: ${expected ? error.message : ((error as Error).stack ?? String(error))}`;
}

/** Reads `.env` (the environment wins), validates it and resolves the app secret. */
export async function loadRuntimeConfig(): Promise<Config> {
  const dotenv = await import('dotenv');
  dotenv.config({ quiet: true });
  return resolveAppSecret(loadConfig(process.env));
}

/**
 * Opens the configured database and proves it answers, or fails with one line saying where and why. An embedded
 * database is locked for `command` ("magnetiq server", "magnetiq seed") until it is closed: while another
 * process holds it, this one stops here, before any migration or write, with a line naming the holder.
 */
export async function connect(config: Config, command: string): Promise<Database> {
  const options = databaseOptionsFrom(config, command);
  let database: Database | undefined;
  try {
    database = await openDatabase(options);
    await ping(database.db);
    return database;
  } catch (error) {
    await database?.close().catch(() => undefined);
    const reason = (error as Error).message || String(error);
    throw new StartupError(`Cannot open the database (${describeDatabase(options)}): ${reason}`, {
      cause: error,
    });
  }
}

/** Applies pending migrations and makes sure the audit log has its partitions for the coming months. */
export async function prepareSchema(database: Database, log: (message: string) => void): Promise<void> {
  const report = await migrate(database, { onProgress: log });
  if (report.applied.length > 0) log(`applied ${report.applied.length} migration(s)`);
  await ensureAuditPartitions(database.db, 3);
}
