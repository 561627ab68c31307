import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has sensible defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      databaseUrl: undefined,
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      adminEmail: 'admin@voltaic.systems',
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "70000")'],
    [
      { DATABASE_URL: 'nonsense' },
      'Invalid configuration: DATABASE_URL must be a URL starting with postgres: or postgresql: (got "nonsense")',
    ],
    [
      { DATABASE_URL: 'mysql://root:topsecret@db/x' },
      'Invalid configuration: DATABASE_URL must be a URL starting with postgres: or postgresql: (got "mysql://root:***@db/x")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
    [{ APP_SECRET: 'short' }, 'Invalid configuration: APP_SECRET must be at least 32 characters long'],
    [
      { NODE_ENV: 'production' },
      'Invalid configuration: APP_SECRET must be set in production (at least 32 random characters)',
    ],
    [
      { ADMIN_PASSWORD: 'tooshort' },
      'Invalid configuration: ADMIN_PASSWORD must be 12 to 128 characters long',
    ],
    [
      { ADMIN_EMAIL: 'nobody' },
      'Invalid configuration: ADMIN_EMAIL must be an e-mail address (got "nobody")',
    ],
    [
      { SMTP_URL: 'http://mail' },
      'Invalid configuration: SMTP_URL must be a URL starting with smtp: or smtps: (got "http://mail")',
    ],
  ])('stops on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never puts a password of a URL into a message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:topsecret@db/x' })).not.toThrow(/topsecret/);
  });
});
