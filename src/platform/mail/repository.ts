import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, MailOutbox } from '../db/schema.ts';

/** Every query of mail_outbox: the mailer stores and delivers mail; the outbox module lists it. */

export type MailRow = Selectable<MailOutbox>;

export async function insertMail(db: Kysely<DB>, mail: Insertable<MailOutbox>): Promise<string> {
  const row = await db.insertInto('mail_outbox').values(mail).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findMail(db: Kysely<DB>, id: string): Promise<MailRow | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the outcome of a delivery attempt. */
export async function updateMail(db: Kysely<DB>, id: string, changes: Updateable<MailOutbox>): Promise<void> {
  await db.updateTable('mail_outbox').set(changes).where('id', '=', id).execute();
}

export interface MailFilter {
  status?: string | undefined;
  /** Any spelling of the address. */
  recipient?: string | undefined;
}

/** One page of the mail matching `filter`, newest first, and how many match in all. */
export async function findMails(
  db: Kysely<DB>,
  filter: MailFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: MailRow[]; total: number }> {
  let base = db.selectFrom('mail_outbox');
  const { status, recipient } = filter;
  if (status) base = base.where('status', '=', status);
  if (recipient) base = base.where((eb) => eb(eb.fn('lower', ['recipient']), '=', recipient.toLowerCase()));
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}
