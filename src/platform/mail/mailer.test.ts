import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TestClock } from '../../../test/helpers/app.ts';
import { makeUser } from '../../../test/helpers/auth.ts';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from '../db/connection.ts';
import { tokenDigest } from '../security/tokens.ts';
import { sql } from 'kysely';
import { Jobs } from '../jobs/index.ts';
import { createMailer, type Mailer, type MailMessage } from './mailer.ts';

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
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
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

/** A mailer whose deliveries run as jobs, polled fast; stopped by the returned function. */
async function startMailer(url: string): Promise<{ mailer: Mailer; stop: () => Promise<void> }> {
  const jobs = Jobs.create(database, { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 });
  const mailer = createMailer({
    db: database.db,
    jobs,
    smtpUrl: url,
    from: () => Promise.resolve(FROM),
    clock: clock.now,
  });
  await jobs.start();
  return {
    mailer,
    stop: async () => {
      await jobs.stop();
      mailer.close();
    },
  };
}

async function waitForRow(
  id: string,
  done: (row: NonNullable<Awaited<ReturnType<typeof outboxRow>>>) => boolean,
) {
  for (let i = 0; i < 300; i++) {
    const row = await outboxRow(id);
    if (row && done(row)) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mail ${id} did not reach the expected state`);
}

function smtpLogs(id: string) {
  return database.db
    .selectFrom('integration_logs')
    .selectAll()
    .where('related_table', '=', 'mail_outbox')
    .where('related_id', '=', id)
    .orderBy('started_at')
    .execute();
}

describe(`the mailer over SMTP on ${testEngine()}`, () => {
  it('delivers text, HTML and an ICS attachment by a job, marks the row sent and logs the call without secrets', async () => {
    const withCredentials = smtpUrl.replace('smtp://', 'smtp://mailer:s3cret-smtp-pass@');
    const { mailer, stop } = await startMailer(withCredentials);
    try {
      const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//voltAIc//test//EN\r\nEND:VCALENDAR\r\n';
      const { id } = await mailer.send(
        message('ada@example.com', {
          attachments: [
            { filename: 'invite.ics', contentType: 'text/calendar; method=REQUEST', content: ics },
          ],
        }),
      );
      expect((await outboxRow(id))?.status).toBe('queued');
      const mail = await waitForMail('ada@example.com');
      expect(mail.subject).toBe('Grüße aus dem Test');
      expect(mail.text).toContain('Plain text body');
      expect(mail.html).toContain('<a href="https://example.test/x">a link</a>');
      expect(mail.headers.get('content-language')).toBe('de');
      expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString('utf8')])).toEqual([
        ['invite.ics', 'text/calendar', ics],
      ]);

      const row = await waitForRow(id, (r) => r.status === 'sent');
      expect(row).toMatchObject({ attempts: 1, error: null, message_id: mail.messageId });
      expect(row.sent_at?.toISOString()).toBe(clock.now().toISOString());
      const logs = await smtpLogs(id);
      expect(logs.map((l) => [l.integration_name, l.operation, l.direction, l.status])).toEqual([
        ['smtp', 'send_mail', 'outbound', 'success'],
      ]);
      expect(logs[0]?.endpoint).toBe(smtpUrl);
      expect(JSON.stringify(logs)).not.toContain('s3cret-smtp-pass');
    } finally {
      await stop();
    }
  });

  it('keeps retrying while the SMTP server is down, and delivers once it is back', async () => {
    const port = await closedPort();
    const { mailer, stop } = await startMailer(`smtp://127.0.0.1:${port}`);
    const late = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        void simpleParser(stream).then((mail) => {
          received.push({ envelopeTo, mail });
          callback();
        });
      },
    });
    try {
      const { id } = await mailer.send(message('grace@example.com', { language: 'en', subject: 'Hello' }));
      const failing = await waitForRow(id, (r) => r.attempts >= 1);
      expect(failing.status).toBe('queued');
      expect(failing.error).toMatch(/ECONNREFUSED/);

      await new Promise<void>((resolve) => {
        late.listen(port, '127.0.0.1', resolve);
      });
      const mail = await waitForMail('grace@example.com', 30_000);
      expect(mail.text).toContain('Plain text body');
      expect(mail.html).toContain('HTML body');
      expect(mail.headers.get('content-language')).toBe('en');
      const sent = await waitForRow(id, (r) => r.status === 'sent');
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      const statuses = (await smtpLogs(id)).map((l) => l.status);
      expect(statuses.at(-1)).toBe('success');
      expect(statuses.slice(0, -1).every((s) => s === 'error')).toBe(true);
    } finally {
      await stop();
      await new Promise<void>((resolve) => {
        late.close(resolve);
      });
    }
  }, 60_000);

  it('neither stores nor delivers a message whose transaction rolled back', async () => {
    const { mailer, stop } = await startMailer(smtpUrl);
    try {
      const jobsBefore = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.deliver'`.execute(database.db);
      await expect(
        database.db.transaction().execute(async (trx) => {
          await mailer.send(message('rolled-back@example.com'), trx);
          throw new Error('the caller changed its mind');
        }),
      ).rejects.toThrow('changed its mind');
      const jobsAfter = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.deliver'`.execute(database.db);
      expect(jobsAfter.rows[0]?.n).toBe(jobsBefore.rows[0]?.n);
      const rows = await database.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('recipient', '=', 'rolled-back@example.com')
        .execute();
      expect(rows).toEqual([]);

      // The same through a committed transaction is delivered.
      const { id } = await database.db
        .transaction()
        .execute((trx) => mailer.send(message('committed@example.com'), trx));
      await waitForMail('committed@example.com');
      await waitForRow(id, (r) => r.status === 'sent');
      expect(received.some((r) => r.envelopeTo.includes('rolled-back@example.com'))).toBe(false);
    } finally {
      await stop();
    }
  });

  it('keeps mail in the outbox when no SMTP server is configured', async () => {
    const jobs = Jobs.create(database, { work: false });
    const mailer = createMailer({
      db: database.db,
      jobs,
      smtpUrl: undefined,
      from: () => Promise.resolve(FROM),
      clock: clock.now,
    });
    const { id } = await mailer.send(message('outbox-only@example.com'));
    expect(await outboxRow(id)).toMatchObject({ status: 'outbox', attempts: 0, language: 'de' });
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
      // The sender comes from the settings mail.from_name and mail.from.
      expect(mail.from?.value).toEqual([{ name: 'voltAIc Systems', address: 'no-reply@voltaic.systems' }]);
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
