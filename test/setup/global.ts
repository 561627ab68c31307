import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/connection.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { adminQuery, databaseUrl } from '../helpers/postgres.ts';

export type TestDatabaseSource =
  | { engine: 'postgres'; url: string; template: string; prefix: string }
  | { engine: 'pglite'; imageFile: string };

declare module 'vitest' {
  interface ProvidedContext {
    testDatabase: TestDatabaseSource;
  }
}

/** The browser tests drive the built panel: built here when dist/admin is missing or older than admin/. */
function buildPanel(): void {
  const run = spawnSync(process.execPath, ['scripts/build.js', '--admin', '--if-stale'], {
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`building the admin panel failed (${run.status ?? run.signal})`);
}

/**
 * Migrates one database for the whole run; every test file then starts from a copy of it: a database created
 * from a template on the PostgreSQL server (TEST_DATABASE_URL), or a PGlite image loaded in memory.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildPanel();
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (serverUrl) {
    const prefix = `magnetiq_test_${process.pid}_`;
    const template = `${prefix}template`;
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${template}`);
    await adminQuery(serverUrl, `CREATE DATABASE ${template}`);
    const database = await openDatabase({ url: databaseUrl(serverUrl, template), poolSize: 1 });
    try {
      await migrate(database);
    } finally {
      await database.close();
    }
    project.provide('testDatabase', { engine: 'postgres', url: serverUrl, template, prefix });
    return async () => {
      const rows = await adminQuery<{ datname: string }>(
        serverUrl,
        `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`,
      );
      for (const { datname } of rows) {
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    };
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'magnetiq-test-'));
  const imageFile = path.join(dir, 'migrated.tar');
  const database = await openDatabase({});
  try {
    await migrate(database);
    const image = await database.dump?.();
    if (!image) throw new Error('PGlite could not dump its data directory');
    writeFileSync(imageFile, Buffer.from(await image.arrayBuffer()));
  } finally {
    await database.close();
  }
  project.provide('testDatabase', { engine: 'pglite', imageFile });
  return () => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  };
}
