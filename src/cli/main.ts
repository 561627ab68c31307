import { parseArgs } from 'node:util';
import { isEmail, type Config } from '../config.ts';
import { SYSTEM_ACTOR, writeTransaction } from '../platform/audit/context.ts';
import { connect, failureLine, loadRuntimeConfig, prepareSchema } from '../platform/boot.ts';
import type { Database } from '../platform/db/connection.ts';
import {
  createAdmin,
  findLiveUserByEmail,
  firstSuperAdmin,
  resetAdminPassword,
  seedEssentials,
  unlockAdmin,
  type AdminInput,
} from '../platform/seed.ts';
import { AppError } from '../platform/http/errors.ts';
import { checkPasswordPolicy } from '../modules/identity/index.ts';
import { seedDemo } from './demo.ts';

const USAGE = `Usage: magnetiq <command> [options]

Commands:
  migrate                 apply pending database migrations
  seed [--demo]           system settings and the first super admin; --demo adds demo content (EN/DE)
  create-admin            create an admin user
      --email <address>   required
      --password <text>   12-128 characters; generated and printed once when left out
      --first-name <name> --last-name <name>
      --role <role>       super_admin (default), admin, editor or viewer
  unlock <email>          clear an account's failed sign-ins and its lock
  reset-password <email>  set a new password; also unlocks the account and ends all its sessions
      --password <text>   12-128 characters; generated and printed once when left out
                          (two-factor authentication, if enabled, stays on)
  help                    this text

Configuration comes from the environment (.env is read too): DATABASE_URL, DATA_DIR, ADMIN_EMAIL, ADMIN_PASSWORD, ...
On the embedded database (no DATABASE_URL) one process at a time opens DATA_DIR: stop the server first, or
make the change through its API.`;

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A mistake in the command line: told with the usage, exit code 2. */
class UsageError extends Error {}
/** The command cannot do what was asked (an unknown account): one line, exit code 1. */
class Refusal extends Error {}

function showPassword(email: string, password: string): void {
  say(`Password for ${email} (shown once, change it after signing in): ${password}`);
}

/** The API's password policy, checked before anything is opened: 12-128 characters, not the e-mail address. */
/** The password policy of the API (identity's), said as a usage error about --password. */
function checkPassword(password: string, email: string): void {
  try {
    checkPasswordPolicy(password, email.trim());
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new UsageError(`--password ${error.details[0]?.message ?? error.messageIn('en')}`);
  }
}

/** The one e-mail address a command takes as its argument. */
function emailArgument(positionals: string[], command: string): string {
  const [email, ...extra] = positionals;
  if (email === undefined || extra.length > 0 || !isEmail(email)) {
    throw new UsageError(`${command} takes one e-mail address`);
  }
  return email;
}

/**
 * Every command works on a migrated database, which it holds for `command` (on PGlite, a lock naming the process
 * to anyone else who tries meanwhile).
 */
async function withDatabase(
  command: string,
  fn: (database: Database, config: Config) => Promise<void>,
): Promise<void> {
  const config = await loadRuntimeConfig();
  const database = await connect(config, command);
  try {
    await prepareSchema(database, say);
    await fn(database, config);
  } finally {
    await database.close();
  }
}

async function runSeed(demo: boolean): Promise<void> {
  await withDatabase(demo ? 'magnetiq seed --demo' : 'magnetiq seed', async (database, config) => {
    const report = await seedEssentials(database.db, {
      email: config.adminEmail,
      password: config.adminPassword,
    });
    say(`settings: ${report.settingsCreated} created`);
    if (report.firstAdmin) {
      say(`first super admin created: ${report.firstAdmin.email}`);
      if (report.firstAdmin.generatedPassword) {
        showPassword(report.firstAdmin.email, report.firstAdmin.generatedPassword);
      }
    }
    if (!demo) return;
    const actor = await firstSuperAdmin(database.db);
    const demoReport = await writeTransaction(
      database.db,
      { ...SYSTEM_ACTOR, userId: actor.id, userEmail: actor.email },
      (trx) => seedDemo(trx, actor.id),
    );
    for (const [table, count] of Object.entries(demoReport.created)) say(`demo ${table}: ${count} created`);
  });
}

const ROLES = ['super_admin', 'admin', 'editor', 'viewer'] as const;

async function runCreateAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      role: { type: 'string', default: 'super_admin' },
    },
  });
  if (!values.email || !isEmail(values.email)) throw new UsageError('--email <address> is required');
  if (values.password !== undefined) checkPassword(values.password, values.email);
  const role = ROLES.find((r) => r === values.role);
  if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const input: AdminInput = {
    email: values.email,
    password: values.password,
    role,
    ...(values['first-name'] ? { firstName: values['first-name'] } : {}),
    ...(values['last-name'] ? { lastName: values['last-name'] } : {}),
  };
  await withDatabase('magnetiq create-admin', async (database) => {
    if (await findLiveUserByEmail(database.db, input.email))
      throw new UsageError(`a user with the e-mail ${input.email} exists already`);
    const created = await createAdmin(database.db, input);
    say(`created ${role} ${created.email} (${created.id})`);
    if (created.generatedPassword) showPassword(created.email, created.generatedPassword);
  });
}

async function runUnlock(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  const email = emailArgument(positionals, 'unlock');
  await withDatabase('magnetiq unlock', async (database) => {
    const report = await unlockAdmin(database.db, email);
    if (!report) throw new Refusal(`no account has the e-mail ${email}`);
    const attempts = `${String(report.failedAttempts)} failed sign-in attempt(s)`;
    if (report.lockedUntil) {
      say(
        `unlocked ${report.email}: its lock until ${report.lockedUntil.toISOString()} and ${attempts} are cleared`,
      );
    } else if (report.failedAttempts > 0) {
      say(`${report.email} was not locked; its ${attempts} are cleared`);
    } else {
      say(`${report.email} was not locked and had no failed sign-in attempts: nothing to clear`);
    }
    if (!report.isActive)
      say(`note: ${report.email} is deactivated; an admin reactivates it in the users API`);
  });
}

async function runResetPassword(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { password: { type: 'string' } },
    allowPositionals: true,
  });
  const email = emailArgument(positionals, 'reset-password');
  if (values.password !== undefined) checkPassword(values.password, email);
  await withDatabase('magnetiq reset-password', async (database) => {
    const report = await resetAdminPassword(database.db, email, values.password);
    if (!report) throw new Refusal(`no account has the e-mail ${email}`);
    say(
      `password of ${report.email} reset; ${String(report.sessionsEnded)} session(s) ended` +
        (report.wasLocked ? '; the account is unlocked' : ''),
    );
    if (report.generatedPassword) showPassword(report.email, report.generatedPassword);
    if (report.twoFactorEnabled) {
      say('two-factor authentication stays on: signing in still needs a code from the authenticator app');
    }
    if (!report.isActive)
      say(`note: ${report.email} is deactivated; an admin reactivates it in the users API`);
  });
}

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'migrate':
        await withDatabase('magnetiq migrate', () => {
          say('database is up to date');
          return Promise.resolve();
        });
        return 0;
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } });
        await runSeed(values.demo);
        return 0;
      }
      case 'create-admin':
        await runCreateAdmin(rest);
        return 0;
      case 'unlock':
        await runUnlock(rest);
        return 0;
      case 'reset-password':
        await runResetPassword(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
        say(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`magnetiq: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof Refusal) {
      process.stderr.write(`magnetiq: ${error.message}\n`);
      return 1;
    }
    // parseArgs refuses unknown options with a TypeError of its own: a usage mistake, told in one line.
    const badArgs =
      error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${badArgs ? `magnetiq: ${error.message}` : failureLine(error)}\n`);
    return 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
