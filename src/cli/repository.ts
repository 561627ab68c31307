import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
} from 'kysely';
import type { DB } from '../platform/db/schema.ts';

/** The queries of `magnetiq seed --demo`: look a demo row up by its natural key, insert it when missing. */

export const DEMO_TABLES = [
  'pages',
  'consultants',
  'webinar_topics',
  'webinar_speakers',
  'webinar_sessions',
  'whitepapers',
] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

/**
 * The json and jsonb columns of the demo's tables. Their values are sent as JSON text: node-postgres writes a
 * JavaScript array as a PostgreSQL array literal (`{...}`), which a json column refuses ("invalid input syntax
 * for type json"), while text[] columns (tags, expertise, languages) want exactly that literal. PGlite takes
 * either, which is how the demo once worked there only. A test compares this list with the schema.
 */
export const JSON_COLUMNS = {
  pages: ['title', 'content', 'excerpt', 'blocks', 'meta_title', 'meta_description', 'meta_keywords'],
  consultants: ['biography', 'working_hours', 'holidays'],
  webinar_topics: ['title', 'description', 'learning_objectives', 'prerequisites', 'target_audience'],
  webinar_speakers: ['biography'],
  webinar_sessions: ['title', 'description'],
  whitepapers: ['title', 'description', 'summary', 'author_bio'],
} as const satisfies { [T in DemoTable]: readonly (keyof DB[T] & string)[] };

/** How a demo row is found again: its natural key. */
export type NaturalKey = (eb: ExpressionBuilder<DB, DemoTable>) => Expression<SqlBool>;

export const bySlug =
  (slug: string): NaturalKey =>
  (eb) =>
    eb('slug', '=', slug);
export const byEmail =
  (email: string): NaturalKey =>
  (eb) =>
    eb(eb.fn('lower', ['email']), '=', email.toLowerCase());
export const byEnglishTitle =
  (title: string): NaturalKey =>
  (eb) =>
    eb(sql<string>`title->>'en'`, '=', title);

/** The id of the live row of `table` matching `key`, inserting `row` first when there is none. */
export async function findOrInsert<T extends DemoTable>(
  db: Kysely<DB>,
  table: T,
  key: NaturalKey,
  row: Insertable<DB[T]>,
): Promise<{ id: string; inserted: boolean }> {
  const lookup: DemoTable = table;
  const existing = await db
    .selectFrom(lookup)
    .select('id')
    .where(key)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (existing) return { id: existing.id, inserted: false };
  const values: Record<string, unknown> = { ...row };
  for (const column of JSON_COLUMNS[table]) {
    const value = values[column];
    if (value !== undefined && value !== null) values[column] = JSON.stringify(value);
  }
  const inserted = await db
    .insertInto(table)
    .values(values as Insertable<DB[T]>)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, inserted: true };
}
