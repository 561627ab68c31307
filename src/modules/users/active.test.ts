import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, errorFields, useTestApp } from '../../../test/fixture.ts';
import { signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { tokenDigest } from '../../platform/security/tokens.ts';
import type { ActiveAccount } from '../identity/index.ts';

/*
 * Who is signed in now: GET /api/v1/users/active, the spec's view active_admin_users. The clock runs with real
 * time, as the view judges expiry by the database's NOW().
 */

const t = useTestApp();
const MINUTE = 60_000;

let admin: TestUser;
let adminS: Session;
let editorS: Session;
let ada: TestUser;
let bob: TestUser;
let editor: TestUser;
const notListed: string[] = [];
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE);

/** Sets when a user's sessions were last active. */
async function lastActive(userId: string, when: Date): Promise<void> {
  await t.database.db
    .updateTable('admin_sessions')
    .set({ last_activity_at: when })
    .where('user_id', '=', userId)
    .execute();
}

beforeAll(async () => {
  ({ user: admin, session: adminS } = await t.newUser('admin'));
  ({ user: editor, session: editorS } = await t.newUser('editor'));
  ({ user: ada } = await t.newUser('viewer'));
  ({ user: bob } = await t.newUser('editor'));
  // Ada has two sessions: listed once, with the later activity of the two.
  const second = await signIn(t.app, ada);
  const db = t.database.db;
  await lastActive(ada.id, at(5));
  await db
    .updateTable('admin_sessions')
    .set({ last_activity_at: at(2) })
    .where('session_token', '=', tokenDigest(second.access_token))
    .execute();
  await lastActive(bob.id, at(1));
  await lastActive(editor.id, at(10));
  // Less than a minute ago: the admin's own requests below do not move it.
  await lastActive(admin.id, at(0.5));

  // Signed in, but no longer listed: deactivated, deleted, session expired, signed out; and one never signed in.
  const deactivated = await t.newUser('viewer');
  await db
    .updateTable('admin_users')
    .set({ is_active: false })
    .where('id', '=', deactivated.user.id)
    .execute();
  const deleted = await t.newUser('viewer');
  await db
    .updateTable('admin_users')
    .set({ deleted_at: new Date() })
    .where('id', '=', deleted.user.id)
    .execute();
  const expired = await t.newUser('viewer');
  await db
    .updateTable('admin_sessions')
    .set({ created_at: at(120), access_expires_at: at(90), expires_at: at(1), last_activity_at: at(60) })
    .where('user_id', '=', expired.user.id)
    .execute();
  const signedOut = await t.newUser('viewer');
  expect((await t.call(signedOut.session, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
  const never = await t.factories.admin({ role: 'viewer' });
  notListed.push(deactivated.user.id, deleted.user.id, expired.user.id, signedOut.user.id, never.id);
});

describe(`GET /api/v1/users/active on ${t.engine}`, () => {
  it('lists who has a live session, most recent activity first, with their number of sessions', async () => {
    const response = await t.call(adminS, 'GET', '/api/v1/users/active');
    expect(response.statusCode).toBe(200);
    const page = response.json<Page<ActiveAccount>>();
    expect(page).toMatchObject({ total: 4, page: 1, per_page: 10 });
    expect(page.items.map((u) => u.id)).toEqual([admin.id, bob.id, ada.id, editor.id]);
    for (const id of notListed) expect(page.items.map((u) => u.id)).not.toContain(id);
    const [, , adaRow] = page.items;
    expect(adaRow).toEqual({
      id: ada.id,
      email: ada.email,
      first_name: 'Test',
      last_name: 'viewer',
      role: 'viewer',
      last_activity_at: expect.any(String) as string,
      active_sessions: 2,
    });
    // The later of Ada's two sessions, two minutes ago.
    expect(Math.abs(Date.parse(adaRow?.last_activity_at ?? '') - at(2).getTime())).toBeLessThan(MINUTE / 2);
    expect(page.items.map((u) => u.active_sessions)).toEqual([1, 1, 2, 1]);
    // Explicit columns only: no hash, token or secret of the view's u.*.
    expect(response.body).not.toMatch(/hashed_password|password_reset|totp/);
  });

  it('pages through them', async () => {
    const second = (await t.call(adminS, 'GET', '/api/v1/users/active?per_page=3&page=2')).json<
      Page<ActiveAccount>
    >();
    expect(second).toMatchObject({ total: 4, page: 2, per_page: 3 });
    expect(second.items.map((u) => u.id)).toEqual([editor.id]);
  });

  it('drops a user whose sessions end', async () => {
    const { user, session } = await t.newUser('viewer');
    const before = (await t.call(adminS, 'GET', '/api/v1/users/active')).json<Page<ActiveAccount>>();
    expect(before.items[0]?.id).toBe(user.id);
    expect(before.total).toBe(5);
    await t.call(session, 'POST', '/api/v1/auth/logout');
    const after = (await t.call(adminS, 'GET', '/api/v1/users/active')).json<Page<ActiveAccount>>();
    expect(after.total).toBe(4);
    expect(after.items.map((u) => u.id)).not.toContain(user.id);
  });

  it('needs a session (401) and users.read (403)', async () => {
    const anonymous = await t.call(undefined, 'GET', '/api/v1/users/active');
    expect(anonymous.statusCode).toBe(401);
    const denied = await t.call(editorS, 'GET', '/api/v1/users/active');
    expect(denied.statusCode).toBe(403);
    expect(code(denied)).toBe('auth.forbidden');
  });

  it.each([
    ['per_page=abc', 'querystring.per_page'],
    ['per_page=101', 'querystring.per_page'],
    ['per_page=0', 'querystring.per_page'],
    ['page=0', 'querystring.page'],
    ['page=one', 'querystring.page'],
  ])('refuses ?%s (400)', async (query, field) => {
    const response = await t.call(adminS, 'GET', `/api/v1/users/active?${query}`);
    expect(response.statusCode).toBe(400);
    expect(code(response)).toBe('validation.failed');
    expect(errorFields(response)).toContain(field);
  });
});
