import { describe, expect, it, vi } from 'vitest';
import { makeUser, PASSWORD } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';

/*
 * Sign-ins that run at the same time as failures. Password verification of the correct password is held at
 * a gate, so the failures that lock the account happen while it is under way, the way a burst of guesses
 * sent at once interleaves.
 */

const gate = vi.hoisted(() => ({
  password: undefined as string | undefined,
  hold: undefined as Promise<void> | undefined,
  entered: undefined as (() => void) | undefined,
}));

vi.mock('../../platform/security/passwords.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../platform/security/passwords.ts')>();
  return {
    ...real,
    async verifyPassword(hash: string, password: string): Promise<boolean> {
      const ok = await real.verifyPassword(hash, password);
      if (gate.hold && password === gate.password) {
        gate.entered?.();
        await gate.hold;
      }
      return ok;
    },
  };
});

const t = useTestApp();

function login(email: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

describe(`sign-in under concurrent failures on ${t.engine}`, () => {
  it('a correct password checked while the fifth failure locks the account is refused (423)', async () => {
    const user = await makeUser(t.database, 'editor');
    let release: () => void = () => undefined;
    gate.password = PASSWORD;
    gate.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const entered = new Promise<void>((resolve) => (gate.entered = resolve));

    const correct = login(user.email, PASSWORD);
    await entered;
    gate.hold = undefined;
    const codes: number[] = [];
    for (let i = 0; i < 5; i += 1)
      codes.push((await login(user.email, `wrong guess number ${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 423]);
    release();

    const res = await correct;
    expect(res.statusCode, res.body).toBe(423);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('auth.locked');
    const sessions = await t.database.db
      .selectFrom('admin_sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(sessions).toEqual([]);
    const row = await t.database.db
      .selectFrom('admin_users')
      .select(['login_attempts', 'locked_until'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.login_attempts).toBe(5);
    expect(row.locked_until).not.toBeNull();
  });
});
