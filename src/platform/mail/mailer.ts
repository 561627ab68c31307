import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Clock } from '../clock.ts';
import type { DB } from '../db/schema.ts';
import type { Locale } from '../i18n/index.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  language: Locale;
  /** Which template made it, for the outbox listing. */
  template?: string;
}

export interface Mailer {
  /**
   * Records the message in mail_outbox (through `executor`, so it commits or rolls back with the caller's
   * transaction) and, with SMTP configured, hands it to the server in the background once the row is visible.
   * Nothing accepted here is lost when SMTP is down: it stays `failed` and visible (the jobs module retries).
   */
  send(message: MailMessage, executor?: Kysely<DB>): Promise<{ id: string }>;
  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  db: Kysely<DB>;
  smtpUrl: string | undefined;
  from: string;
  clock: Clock;
  log?: (error: unknown, id: string) => void;
}

export function createMailer({ db, smtpUrl, from, clock, log }: MailerOptions): Mailer {
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  const inFlight = new Set<Promise<void>>();

  /** The stored message once its transaction has committed; undefined when it rolled back. */
  async function committed(id: string) {
    for (const wait of [0, 25, 50, 100, 200, 400, 800, 1600]) {
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
      if (row) return row;
    }
    return undefined;
  }

  async function deliver(id: string): Promise<void> {
    if (!transport) return;
    const row = await committed(id);
    if (!row) return;
    const message = {
      to: row.recipient,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body ?? undefined,
      language: row.language,
    };
    try {
      const info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: { 'Content-Language': message.language },
      });
      await db
        .updateTable('mail_outbox')
        .set({ status: 'sent', message_id: info.messageId, sent_at: clock(), error: null })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      log?.(error, id);
      await db
        .updateTable('mail_outbox')
        .set({
          status: 'failed',
          error: error instanceof Error ? error.message.slice(0, 2000) : String(error),
        })
        .where('id', '=', id)
        .execute()
        .catch(() => undefined);
    }
  }

  return {
    async send(message, executor = db) {
      const row = await executor
        .insertInto('mail_outbox')
        .values({
          recipient: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html ?? null,
          language: message.language,
          template: message.template ?? null,
          status: transport ? 'queued' : 'outbox',
          created_at: clock(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const delivery = deliver(row.id)
        .catch((error: unknown) => log?.(error, row.id))
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
      return { id: row.id };
    },
    async idle() {
      await Promise.all([...inFlight]);
    },
    close() {
      transport?.close();
    },
  };
}
