import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { iso } from '../../platform/http/schemas.ts';
import { findMails, type MailRow } from '../../platform/mail/repository.ts';
import type { AuthContext } from '../identity/index.ts';
import type { MailEntry, OutboxQuery } from './schemas.ts';

/** Links that let their holder set someone's password; only super admins see them in the outbox. */
function redactTokens(body: string): string {
  return body.replace(/([?&]token=)[A-Za-z0-9_%-]+/g, '$1[redacted]');
}

function toEntry(row: MailRow, showLinks: boolean): MailEntry {
  const text = showLinks ? row.text_body : redactTokens(row.text_body);
  const html = row.html_body === null || showLinks ? row.html_body : redactTokens(row.html_body);
  return {
    id: row.id,
    recipient: row.recipient,
    subject: row.subject,
    text_body: text,
    html_body: html,
    language: row.language,
    template: row.template,
    status: row.status,
    message_id: row.message_id,
    error: row.error,
    created_at: iso(row.created_at),
    sent_at: iso(row.sent_at),
  };
}

/** The mail the product has sent or kept, as staff read it (the mail platform owns the table). */
export class OutboxService {
  constructor(private readonly db: Kysely<DB>) {}

  async list(auth: AuthContext, query: OutboxQuery): Promise<Page<MailEntry>> {
    const showLinks = auth.user.role === 'super_admin';
    const { page, per_page: perPage, status, recipient } = query;
    const { rows, total } = await findMails(
      this.db,
      { status, recipient },
      { limit: perPage, offset: (page - 1) * perPage },
    );
    return { items: rows.map((row) => toEntry(row, showLinks)), total, page, per_page: perPage };
  }
}
