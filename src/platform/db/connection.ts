import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { checkChannel, ListenHub, type ListenStatus } from './listen.ts';
import { Mutex } from './mutex.ts';
import { typeParsers } from './parsers.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

/** One dedicated database session: for multi-statement scripts and session-level locks. */
export interface Session {
  /** Runs a script of one or more statements without parameters. */
  exec(script: string): Promise<void>;
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
  /** Holds one session (a pinned pool client, or PGlite's lock) for the duration of `fn`. */
  session<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /**
   * One statement with parameters, or a script of several without: the `db` adapter pg-boss runs on. On PGlite
   * it takes the lock like everything else.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * LISTEN on `channel` (NOTIFYs sent in a transaction arrive when it commits). On a server one dedicated
   * connection listens to every channel subscribed to and reconnects: `onStatus(false)` says messages may be missed until `onStatus(true)`.
   * Resolves once listening, to the function that stops it; closing the database stops it too.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onStatus?: ListenStatus,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: a tarball of the whole database, to start other instances from (the test harness does). */
  dump?(): Promise<Blob>;
}

export type DatabaseOptions =
  | { url: string; poolSize?: number }
  | {
      /**
       * A folder to persist into, or undefined for memory only. The process holds `<dataDir>.lock` while it is
       * open: a second process (or a second open here) is refused with DataDirLockedError, naming the holder.
       */
      dataDir?: string;
      /** A tarball from PGlite's dumpDataDir() to start from (tests start from a migrated copy). */
      loadDataDir?: Blob;
      /** What opens it, for the lock ("magnetiq server"); by default the script's name. */
      command?: string;
    };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return 'url' in options ? openPostgres(options.url, options.poolSize) : openPGlite(options);
}

const builtinParser = pg.types.getTypeParser.bind(pg.types) as (oid: number) => (value: string) => unknown;

function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'magnetiq',
    types: {
      getTypeParser: ((oid: number) =>
        typeParsers[oid] ?? builtinParser(oid)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // Every subscription of this database shares one listening connection.
  const hub = new ListenHub(url);
  const listeners = new Set<() => Promise<void>>();
  return {
    engine: 'postgres',
    db,
    async session(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          async exec(script) {
            await client.query(script);
          },
          async query<R>(text: string, params: unknown[] = []) {
            return (await client.query(text, params)).rows as R[];
          },
        });
      } finally {
        client.release();
      }
    },
    async executeSql(text, values = []) {
      const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[];
      return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
    },
    async listen(channel, onMessage, onStatus) {
      const stop = await hub.listen(channel, onMessage, onStatus);
      const unlisten = async () => {
        listeners.delete(unlisten);
        await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    async close() {
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      await db.destroy();
    },
  };
}

async function openPGlite(options: {
  dataDir?: string;
  loadDataDir?: Blob;
  command?: string;
}): Promise<Database> {
  // The directory's lock comes first: a refused process has touched nothing.
  let dirLock: { release(): void } | undefined;
  if (options.dataDir) {
    mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    dirLock = lockDataDir(options.dataDir, options.command ?? defaultCommand());
    mkdirSync(options.dataDir, { recursive: true });
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { btree_gist },
      parsers: typeParsers,
    });
  } catch (error) {
    dirLock?.release();
    throw error;
  }
  const lock = new Mutex();
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite, lock) });
  let closed = false;
  return {
    engine: 'pglite',
    db,
    session(fn) {
      return lock.run(() =>
        fn({
          async exec(script) {
            await pglite.exec(script);
          },
          async query<R>(text: string, params: unknown[] = []) {
            return (await pglite.query<R>(text, params)).rows;
          },
        }),
      );
    },
    executeSql(text, values = []) {
      return lock.run(async () => {
        if (values.length > 0) return { rows: (await pglite.query(text, values)).rows };
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      });
    },
    async listen(channel, onMessage) {
      checkChannel(channel);
      // The one connection listens too; notifications arrive while whoever committed still holds the lock.
      const unlisten = await lock.run(() => pglite.listen(channel, onMessage));
      return () => (closed ? Promise.resolve() : lock.run(() => unlisten()));
    },
    dump() {
      return lock.run(() => pglite.dumpDataDir('none'));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        // Wait for whoever holds the connection, then close the files cleanly.
        await lock.run(() => pglite.close());
      } finally {
        dirLock?.release();
      }
    },
  };
}

function defaultCommand(): string {
  const script = process.argv[1];
  return script ? `node ${path.basename(script)}` : 'node';
}

/**
 * The database the configuration names: the PostgreSQL server of DATABASE_URL, else PGlite in DATA_DIR/db,
 * locked for `command` ("magnetiq server") while open.
 */
export function databaseOptionsFrom(
  config: {
    databaseUrl: string | undefined;
    databasePoolSize: number;
    dataDir: string;
  },
  command?: string,
): DatabaseOptions {
  return config.databaseUrl
    ? { url: config.databaseUrl, poolSize: config.databasePoolSize }
    : { dataDir: path.join(config.dataDir, 'db'), ...(command ? { command } : {}) };
}

/** Where a database lives, for messages: never the password. */
export function describeDatabase(options: DatabaseOptions): string {
  if ('url' in options) {
    const url = new URL(options.url);
    return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  }
  return options.dataDir ? `embedded PGlite in ${options.dataDir}` : 'embedded PGlite in memory';
}
