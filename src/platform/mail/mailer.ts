import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import { SYSTEM_ACTOR, writeTransaction } from '../audit/context.ts';
import type { Clock } from '../clock.ts';
import type { DB } from '../db/schema.ts';
import type { Locale } from '../i18n/index.ts';
import type { Jobs, Queue } from '../jobs/index.ts';
import { insertIntegrationLog } from '../integrations/repository.ts';
import { findMail, insertMail, updateMail } from './repository.ts';

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Text (an ICS file) or bytes. */
  content: string | Buffer;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  language: Locale;
  /** Which template made it, for the outbox listing. */
  template?: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  /**
   * Records the message in mail_outbox (through `executor`, so it commits or rolls back with the caller's
   * transaction) and, with SMTP configured, enqueues its delivery as a job in the same transaction. A job
   * retries with backoff while the SMTP server is down; nothing accepted here is lost.
   */
  send(message: MailMessage, executor?: Kysely<DB>): Promise<{ id: string }>;
  close(): void;
}

export const MAIL_QUEUE = { name: 'mail.deliver', retryLimit: 8, retryDelay: 30, expireInSeconds: 120 };

export interface MailerOptions {
  db: Kysely<DB>;
  jobs: Jobs;
  smtpUrl: string | undefined;
  /** The sender, asked at each delivery (it comes from the settings, which staff may change). */
  from: () => Promise<string>;
  clock: Clock;
}

interface StoredAttachment {
  filename: string;
  content_type: string;
  content: string;
}

/** The SMTP server as logs may show it: host and port, never the credentials. */
function smtpEndpoint(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.host}`;
}

export function createMailer({ db, jobs, smtpUrl, from, clock }: MailerOptions): Mailer {
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  let deliveries: Queue<{ id: string }> | undefined;

  if (transport && smtpUrl) {
    deliveries = jobs.defineQueue<{ id: string }>(MAIL_QUEUE, async ({ id }, job) => {
      const row = await findMail(db, id);
      // Gone, or already delivered by an earlier attempt whose job then failed to complete: nothing to do.
      if (!row || row.status === 'sent') return;
      const attempt = row.attempts + 1;
      const startedAt = clock();
      const request = {
        mail_id: row.id,
        to: row.recipient,
        subject: row.subject,
        template: row.template,
        attempt,
      };
      try {
        const info = await transport.sendMail({
          from: await from(),
          to: row.recipient,
          subject: row.subject,
          text: row.text_body,
          ...(row.html_body ? { html: row.html_body } : {}),
          headers: { 'Content-Language': row.language },
          attachments: ((row.attachments ?? []) as unknown as StoredAttachment[]).map((a) => ({
            filename: a.filename,
            contentType: a.content_type,
            content: Buffer.from(a.content, 'base64'),
          })),
        });
        const sentAt = clock();
        // The row's state and the log of the call commit together: whoever sees one sees the other.
        await writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
          await updateMail(trx, id, {
            status: 'sent',
            message_id: info.messageId,
            sent_at: sentAt,
            error: null,
            attempts: attempt,
            last_attempt_at: startedAt,
          });
          await logSmtp(trx, smtpUrl, row.id, request, startedAt, sentAt, {
            message_id: info.messageId,
            response: info.response,
          });
        });
      } catch (error) {
        const message = error instanceof Error ? error.message.slice(0, 2000) : String(error);
        const finished = clock();
        const lastTry = job.retryCount >= MAIL_QUEUE.retryLimit;
        await writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
          await updateMail(trx, id, {
            status: lastTry ? 'failed' : 'queued',
            error: message,
            attempts: attempt,
            last_attempt_at: startedAt,
          });
          await logSmtp(
            trx,
            smtpUrl,
            row.id,
            request,
            startedAt,
            finished,
            undefined,
            message,
            (error as { code?: string }).code,
          );
        });
        throw error;
      }
    });
  }

  return {
    async send(message, executor = db) {
      const id = await insertMail(executor, {
        recipient: message.to,
        subject: message.subject,
        text_body: message.text,
        html_body: message.html ?? null,
        language: message.language,
        template: message.template ?? null,
        attachments: message.attachments
          ? JSON.stringify(
              message.attachments.map((a) => ({
                filename: a.filename,
                content_type: a.contentType,
                content: Buffer.from(a.content).toString('base64'),
              })),
            )
          : null,
        status: deliveries ? 'queued' : 'outbox',
        created_at: clock(),
      });
      if (deliveries) await deliveries.send({ id }, { executor });
      return { id };
    },
    close() {
      transport?.close();
    },
  };
}

async function logSmtp(
  db: Kysely<DB>,
  smtpUrl: string,
  mailId: string,
  request: Record<string, unknown>,
  startedAt: Date,
  completedAt: Date,
  response?: Record<string, unknown>,
  error?: string,
  code?: string,
): Promise<void> {
  await insertIntegrationLog(db, {
    integration_name: 'smtp',
    operation: 'send_mail',
    direction: 'outbound',
    endpoint: smtpEndpoint(smtpUrl),
    request_data: JSON.stringify(request),
    response_data: response ? JSON.stringify(response) : null,
    status: error ? (code === 'ETIMEDOUT' ? 'timeout' : 'error') : 'success',
    error_message: error ?? null,
    error_code: code?.slice(0, 50) ?? null,
    started_at: startedAt,
    completed_at: completedAt,
    duration_ms: Math.max(0, completedAt.getTime() - startedAt.getTime()),
    related_table: 'mail_outbox',
    related_id: mailId,
  });
}
