import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/connection.ts';
import { adminQuery, databaseUrl } from './postgres.ts';

export type TestEngine = Database['engine'];

export function testEngine(): TestEngine {
  return inject('testDatabase').engine;
}

const CREATE_RETRIES = 5;

async function createServerDatabase(name: string, template?: string): Promise<void> {
  const source = inject('testDatabase');
  if (source.engine !== 'postgres') throw new Error('not on a PostgreSQL server');
  const statement = `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(source.url, statement);
      return;
    } catch (error) {
      // Two files copying the template at the same instant: "source database is being accessed by other users".
      if ((error as { code?: string }).code !== '55006' || attempt === CREATE_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * A database of its own for a test file. Migrated (a copy of the run's template) unless `empty` is set, in
 * which case nothing has been applied yet. Closing it drops it.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<Database> {
  const source = inject('testDatabase');
  if (source.engine === 'pglite') {
    if (options.empty) return openDatabase({});
    const image = new Blob([readFileSync(source.imageFile)]);
    return openDatabase({ loadDataDir: image });
  }
  const name = `${source.prefix}${randomBytes(6).toString('hex')}`;
  await createServerDatabase(name, options.empty ? undefined : source.template);
  const url = databaseUrl(source.url, name);
  const database = await openDatabase({ url, poolSize: 4 });
  const wrapped: Database = {
    ...database,
    async close() {
      await database.close();
      await adminQuery(source.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
  serverUrls.set(wrapped, url);
  return wrapped;
}

const serverUrls = new WeakMap<Database, string>();

/**
 * A second, independent connection to the same test database, as a second app instance would have: its own
 * pool on the PostgreSQL server. PGlite lives in one process, so there it is the same database (close it once).
 */
export async function secondConnection(
  database: Database,
): Promise<{ database: Database; close: () => Promise<void> }> {
  const url = serverUrls.get(database);
  if (!url) return { database, close: () => Promise.resolve() };
  const other = await openDatabase({ url, poolSize: 4 });
  return { database: other, close: () => other.close() };
}

/** The SQLSTATE and constraint of a database error, for assertions. */
export async function pgError(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    return { code, constraint };
  }
  throw new Error('expected the database to refuse this, but it succeeded');
}
