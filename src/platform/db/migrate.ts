import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { platformError } from '../http/errors.ts';
import type { Database, Session } from './connection.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any fixed number: the key of the session advisory lock that serialises migration runs. */
const MIGRATION_LOCK_KEY = 720_461_193;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file, index) => {
    const match = FILE_PATTERN.exec(file);
    if (!match?.[1] || !match[2]) throw new Error(`migration file name ${file} is not NNNN_name.sql`);
    const version = Number(match[1]);
    if (version !== index + 1) throw new Error(`migration ${file} is out of sequence: expected ${index + 1}`);
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return { version, name: match[2], sql, checksum: checksum(sql) };
  });
}

const BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    checksum CHAR(64) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    duration_ms INTEGER NOT NULL
)`;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies the migrations not yet applied, in order, each in its own transaction. Refuses to run when a
 * migration that was applied has changed since (its checksum differs) or is missing. A session advisory lock
 * makes instances that start together wait for each other, so each migration is applied once.
 */
export async function migrate(
  database: Database,
  options: { files?: MigrationFile[]; onProgress?: (message: string) => void } = {},
): Promise<MigrationReport> {
  const files = options.files ?? readMigrations();
  const progress = options.onProgress ?? (() => undefined);
  return database.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(BOOKKEEPING);
      const applied = await session.query<AppliedRow>(
        'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      );
      verifyApplied(applied, files);
      const pending = files.slice(applied.length);
      const report: MigrationReport = { applied: [], alreadyApplied: applied.length };
      for (const [i, file] of pending.entries()) {
        const label = `${String(file.version).padStart(4, '0')}_${file.name}`;
        progress(`[${i + 1}/${pending.length}] applying ${label}`);
        await applyOne(session, file);
        report.applied.push(label);
      }
      return report;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

function verifyApplied(applied: AppliedRow[], files: MigrationFile[]): void {
  for (const row of applied) {
    const file = files.find((f) => f.version === row.version);
    if (!file) {
      throw platformError('migrations.missing', { version: row.version, name: row.name });
    }
    if (file.checksum !== row.checksum.trim()) {
      throw platformError('migrations.changed', { version: row.version, name: row.name });
    }
  }
}

async function applyOne(session: Session, file: MigrationFile): Promise<void> {
  const started = Date.now();
  await session.exec('BEGIN');
  try {
    await session.exec(file.sql);
    await session.query(
      'INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)',
      [file.version, file.name, file.checksum, Date.now() - started],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK');
    throw new Error(`migration ${file.version}_${file.name} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
