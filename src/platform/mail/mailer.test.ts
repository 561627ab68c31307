import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TestClock } from '../../../test/helpers/app.ts';
import { makeUser } from '../../../test/helpers/auth.ts';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from '../db/connection.ts';
import { tokenDigest } from '../security/tokens.ts';
import { createMailer, type MailMessage } from './mailer.ts';

const FROM = 'voltAIc Systems <no-reply@voltaic.systems>';

let database: Database;
let smtp: SMTPServer;
let smtpUrl: string;
const received: { envelopeTo: string[]; mail: ParsedMail }[] = [];
const clock = new TestClock(new Date('2030-01-02T03:04:05.000Z'));

/** Resolves with the first message to `recipient`, or fails after `ms`. */
async function waitForMail(recipient: string, ms = 10_000): Promise<ParsedMail> {
  const until = Date.now() + ms;
  for (;;) {
    const found = received.find((r) => r.envelopeTo.includes(recipient));
    if (found) return found.mail;
    if (Date.now() > until) throw new Error(`no mail to ${recipient} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function outboxRow(id: string) {
  return database.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

function message(to: string, overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    to,
    subject: 'Grüße aus dem Test',
    text: 'Plain text body with a link: https://example.test/x',
    html: '<p>HTML body with <a href="https://example.test/x">a link</a></p>',
    language: 'de',
    template: 'test',
    ...overrides,
  };
}

/** A port on 127.0.0.1 nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
  return port;
}

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo, mail });
          callback();
        })
        .catch((error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        });
    },
  });
  await new Promise<void>((resolve) => {
    smtp.listen(0, '127.0.0.1', resolve);
  });
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    smtp.close(resolve);
  });
  await database.close();
});

describe(`the mailer over SMTP on ${testEngine()}`, () => {
  it('delivers text and HTML with subject and Content-Language, and marks the row sent', async () => {
    const mailer = createMailer({ db: database.db, smtpUrl, from: FROM, clock: clock.now });
    try {
      const { id } = await mailer.send(message('ada@example.com'));
      expect((await outboxRow(id))?.status).toBe('queued');
      await mailer.idle();

      const mail = await waitForMail('ada@example.com');
      expect(mail.subject).toBe('Grüße aus dem Test');
      expect(mail.from?.text).toBe('"voltAIc Systems" <no-reply@voltaic.systems>');
      expect(mail.text?.trim()).toBe('Plain text body with a link: https://example.test/x');
      expect(mail.html).toContain('<a href="https://example.test/x">a link</a>');
      expect(mail.headers.get('content-language')).toBe('de');

      const row = await outboxRow(id);
      expect(row).toMatchObject({
        recipient: 'ada@example.com',
        status: 'sent',
        error: null,
        sent_at: clock.now(),
        language: 'de',
        template: 'test',
      });
      expect(row?.message_id).toBeTruthy();
      expect(row?.message_id).toBe(mail.messageId);
    } finally {
      mailer.close();
    }
  });

  it('sends a text-only message without an HTML part', async () => {
    const mailer = createMailer({ db: database.db, smtpUrl, from: FROM, clock: clock.now });
    try {
      const { to, subject, text } = message('text-only@example.com');
      const { id } = await mailer.send({ to, subject, text, language: 'en' });
      await mailer.idle();
      const mail = await waitForMail('text-only@example.com');
      expect(mail.html).toBe(false);
      expect(mail.headers.get('content-language')).toBe('en');
      expect((await outboxRow(id))?.status).toBe('sent');
    } finally {
      mailer.close();
    }
  });

  it('keeps the message as failed, with the error, when the SMTP server is down', async () => {
    const errors: string[] = [];
    const mailer = createMailer({
      db: database.db,
      smtpUrl: `smtp://127.0.0.1:${await closedPort()}`,
      from: FROM,
      clock: clock.now,
      log: (_error, id) => errors.push(id),
    });
    try {
      const { id } = await mailer.send(message('down@example.com'));
      await mailer.idle();
      const row = await outboxRow(id);
      expect(row).toMatchObject({ status: 'failed', sent_at: null, message_id: null });
      expect(row?.error).toMatch(/ECONNREFUSED|connect/i);
      expect(row?.text_body).toBe(message('x').text);
      expect(errors).toEqual([id]);
    } finally {
      mailer.close();
    }
  });

  it('never delivers a message whose transaction rolled back', async () => {
    const mailer = createMailer({ db: database.db, smtpUrl, from: FROM, clock: clock.now });
    try {
      const ids: string[] = [];
      await expect(
        database.db.transaction().execute(async (trx) => {
          ids.push((await mailer.send(message('rolled-back@example.com'), trx)).id);
          throw new Error('the caller fails after queueing the mail');
        }),
      ).rejects.toThrow('the caller fails');
      expect(ids).toHaveLength(1);
      await mailer.idle();
      expect(await outboxRow(ids[0] ?? '')).toBeUndefined();
      expect(received.some((r) => r.envelopeTo.includes('rolled-back@example.com'))).toBe(false);
    } finally {
      mailer.close();
    }
  });

  it('delivers the mail of a transaction once it commits', async () => {
    const mailer = createMailer({ db: database.db, smtpUrl, from: FROM, clock: clock.now });
    try {
      const { id } = await database.db.transaction().execute(async (trx) => {
        const sent = await mailer.send(message('committed@example.com'), trx);
        // Give the delivery a chance to look before the commit.
        await new Promise((resolve) => setTimeout(resolve, 60));
        return sent;
      });
      await mailer.idle();
      await waitForMail('committed@example.com');
      expect((await outboxRow(id))?.status).toBe('sent');
    } finally {
      mailer.close();
    }
  });

  it('mails a password reset to a German user over SMTP through the app', async () => {
    const app = await buildTestApp(database, { env: { SMTP_URL: smtpUrl }, clock: clock.now });
    try {
      const user = await makeUser(database, 'editor');
      await database.db
        .updateTable('admin_users')
        .set({ language: 'de' })
        .where('id', '=', user.id)
        .execute();
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset/request',
        payload: { email: user.email },
      });
      expect(response.statusCode).toBe(202);

      const mail = await waitForMail(user.email);
      expect(mail.subject).toBe('Ihr Passwort bei voltAIc Systems zurücksetzen');
      expect(mail.headers.get('content-language')).toBe('de');
      expect(mail.text).toContain('Hallo Test,');
      const token = /\/admin\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(mail.html).toContain(`reset-password?token=${token}`);
      const stored = await database.db
        .selectFrom('admin_users')
        .select('password_reset_token')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(stored.password_reset_token).toBe(tokenDigest(token));

      // The row is marked sent right after the server accepted the message.
      let row;
      for (let i = 0; i < 100; i++) {
        row = await database.db
          .selectFrom('mail_outbox')
          .selectAll()
          .where('recipient', '=', user.email)
          .executeTakeFirstOrThrow();
        if (row.status !== 'queued') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(row).toMatchObject({ status: 'sent', language: 'de', template: 'password_reset' });
      expect(row?.message_id).toBe(mail.messageId);
    } finally {
      await app.close();
    }
  });
});
