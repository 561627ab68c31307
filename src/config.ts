import path from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  /** PostgreSQL server; undefined means the embedded PGlite under dataDir/db. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  /** undefined until resolved: main.ts generates one into dataDir outside production. */
  readonly appSecret: string | undefined;
  readonly smtpUrl: string | undefined;
  /** Set: overrides the sender of the settings mail.from / mail.from_name. */
  readonly mailFrom: string | undefined;
  readonly adminEmail: string;
  readonly adminPassword: string | undefined;
  readonly logLevel: LogLevel;
  readonly trustProxy: boolean;
  readonly shutdownTimeoutMs: number;
  /** How long an access token is valid; the refresh token renews it. */
  readonly accessTokenMinutes: number;
  /** How long a session lives without being refreshed (each refresh extends it). */
  readonly sessionDays: number;
  /** Requests per minute and client IP to /api/v1/auth/*; 0 turns the limit off. */
  readonly authRateLimit: number;
  /** Per minute and client IP, for each public booking change (book, cancel, move, rate); 0 is off. */
  readonly bookingRateLimit: number;
  /** Per minute and client IP, for the public slots API (which may ask Google each time); 0 is off. */
  readonly slotsRateLimit: number;
}

/** A configuration value that stops the start; its message is the one line the operator reads. */
export class ConfigError extends Error {
  constructor(variable: string, expectation: string, value: string | undefined) {
    super(
      `Invalid configuration: ${variable} ${expectation}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** An address, bare or as `Name <address>`. */
export function isEmail(value: string): boolean {
  return EMAIL.test(value.replace(/^.*<(.+)>$/, '$1'));
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}`, raw);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}`, raw);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL starting with ${protocols.join(' or ')}`, redact(raw));
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must be a URL starting with ${protocols.join(' or ')}`, redact(raw));
  }
  return raw;
}

/** Keeps passwords in URLs out of error messages. */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

function email(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  if (!isEmail(raw)) throw new ConfigError(name, 'must be an e-mail address', raw);
  return raw;
}

/** Reads and validates the environment. Pure: no files are touched. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = text(env, 'HOST') ?? '127.0.0.1';
  const appSecret = text(env, 'APP_SECRET');
  if (appSecret !== undefined && appSecret.length < 32) {
    throw new ConfigError('APP_SECRET', 'must be at least 32 characters long', undefined);
  }
  if (appSecret === undefined && nodeEnv === 'production') {
    throw new ConfigError(
      'APP_SECRET',
      'must be set in production (at least 32 random characters)',
      undefined,
    );
  }
  const adminPassword = text(env, 'ADMIN_PASSWORD');
  if (adminPassword !== undefined && (adminPassword.length < 12 || adminPassword.length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be 12 to 128 characters long', undefined);
  }
  const publicUrl =
    url(env, 'PUBLIC_URL', ['http:', 'https:']) ??
    `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  return Object.freeze({
    env: nodeEnv,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    dataDir: path.resolve(text(env, 'DATA_DIR') ?? './data'),
    port,
    host,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    appSecret,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: text(env, 'MAIL_FROM') === undefined ? undefined : email(env, 'MAIL_FROM', ''),
    adminEmail: email(env, 'ADMIN_EMAIL', 'admin@voltaic.systems'),
    adminPassword,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    trustProxy: oneOf(env, 'TRUST_PROXY', ['true', 'false'], 'false') === 'true',
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    accessTokenMinutes: integer(env, 'ACCESS_TOKEN_MINUTES', 15, 1, 1440),
    sessionDays: integer(env, 'SESSION_DAYS', 14, 1, 365),
    authRateLimit: integer(env, 'AUTH_RATE_LIMIT', 30, 0, 1_000_000),
    bookingRateLimit: integer(env, 'BOOKING_RATE_LIMIT', 10, 0, 1_000_000),
    slotsRateLimit: integer(env, 'SLOTS_RATE_LIMIT', 120, 0, 1_000_000),
  });
}
