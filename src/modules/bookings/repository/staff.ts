import { sql, type Kysely, type Transaction } from 'kysely';
import { containsPattern } from '../../../platform/db/errors.ts';
import type { DB } from '../../../platform/db/schema.ts';
import { fetchPage, type Page } from '../../../platform/http/pagination.ts';
import type { BookingStatus } from '../schemas.ts';
import type { BookingRow } from './bookings.ts';

// Staff's reads: soft-deleted bookings are out of every one.

export interface StaffFilter {
  consultant_id?: string | undefined;
  status?: BookingStatus[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  client_email?: string | undefined;
  q?: string | undefined;
  sort?: 'datetime' | '-datetime' | undefined;
  page: number;
  per_page: number;
}

/** One page of live bookings, filtered, by start. */
export function listBookings(db: Kysely<DB>, query: StaffFilter): Promise<Page<BookingRow>> {
  let q = db.selectFrom('bookings').where('deleted_at', 'is', null);
  if (query.consultant_id) q = q.where('consultant_id', '=', query.consultant_id);
  if (query.status?.length) q = q.where('status', 'in', query.status);
  if (query.from) q = q.where('datetime', '>=', new Date(query.from));
  if (query.to) q = q.where('datetime', '<', new Date(query.to));
  if (query.client_email) q = q.where('client_email', 'ilike', containsPattern(query.client_email));
  if (query.q) {
    const pattern = containsPattern(query.q.trim());
    q = q.where((eb) =>
      eb.or([
        eb('reference', 'ilike', pattern),
        eb(sql<string>`client_first_name || ' ' || client_last_name`, 'ilike', pattern),
      ]),
    );
  }
  const direction = query.sort === '-datetime' ? 'desc' : 'asc';
  return fetchPage(
    q.selectAll().orderBy('datetime', direction).orderBy('id', direction),
    q.select((eb) => eb.fn.countAll<number>().as('n')),
    query,
    (row) => row,
  );
}

/** Live bookings starting in [start, end), by start; cancelled ones only when asked for. */
export function bookingsStartingBetween(
  db: Kysely<DB>,
  range: { start: Date; end: Date },
  filter: { consultant_id?: string | undefined; include_cancelled?: boolean | undefined },
): Promise<BookingRow[]> {
  let q = db
    .selectFrom('bookings')
    .where('deleted_at', 'is', null)
    .where('datetime', '>=', range.start)
    .where('datetime', '<', range.end);
  if (filter.consultant_id) q = q.where('consultant_id', '=', filter.consultant_id);
  if (!filter.include_cancelled) q = q.where('status', '!=', 'cancelled');
  return q.selectAll().orderBy('datetime').orderBy('id').execute();
}

/** The version of a live booking, locked for a change of its notes. */
export function lockVersion(trx: Transaction<DB>, id: string): Promise<{ version: number } | undefined> {
  return trx
    .selectFrom('bookings')
    .select('version')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}
