import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, useTestApp, type SignedIn } from '../../../test/fixture.ts';
import type { Session } from '../../../test/helpers/auth.ts';

/*
 * Grants limited to one resource take effect where the routes are about that resource: a viewer (whose role
 * lacks every write) granted a write on one page, medium or consultant changes that one and no other.
 */

const t = useTestApp();
const call = t.call.bind(t);
let admin: SignedIn;
let viewer: SignedIn;

beforeAll(async () => {
  admin = await t.as('admin');
  // A fresh viewer: the grants below are theirs alone.
  viewer = await t.newUser('viewer');
});

async function grant(permission: string, resource: string): Promise<void> {
  const res = await call(admin.session, 'POST', `/api/v1/users/${viewer.user.id}/permissions`, {
    permission,
    resource,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** The version of what `url` answers, read as the admin. */
async function versionOf(url: string): Promise<number> {
  const res = await call(admin.session, 'GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ version: number }>().version;
}

/** PATCHes `url` as `session` with the version it has now and `body`. */
async function patch(session: Session, url: string, body: object) {
  return call(session, 'PATCH', url, { version: await versionOf(url), ...body });
}

async function mediaRow(): Promise<string> {
  const row = await t.database.db
    .insertInto('media_files')
    .values({
      filename: `${randomUUID()}.png`,
      original_filename: 'photo.png',
      file_path: `test/${randomUUID()}`,
      file_size: 100,
      mime_type: 'image/png',
      uploaded_by: admin.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe(`scoped permission grants on ${t.engine}`, () => {
  it('pages.write on page A: the viewer edits A, not B, and creates no page', async () => {
    const a = await t.factories.page(admin.user.id, { slug: t.factories.unique('a') });
    const b = await t.factories.page(admin.user.id, { slug: t.factories.unique('b') });
    const before = await patch(viewer.session, `/api/v1/pages/${a.id}`, { title: { en: 'Mine' } });
    expect([before.statusCode, code(before)]).toEqual([403, 'auth.forbidden']);

    await grant('pages.write', `page:${a.id}`);
    const mine = await patch(viewer.session, `/api/v1/pages/${a.id}`, { title: { en: 'Mine' } });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<{ title: { en: string } }>().title.en).toBe('Mine');

    const theirs = await patch(viewer.session, `/api/v1/pages/${b.id}`, { title: { en: 'Mine too' } });
    expect([theirs.statusCode, code(theirs)]).toEqual([403, 'auth.forbidden']);
    const deleteB = await call(viewer.session, 'DELETE', `/api/v1/pages/${b.id}`);
    expect(deleteB.statusCode).toBe(403);
    const create = await call(viewer.session, 'POST', '/api/v1/pages', {
      slug: t.factories.unique('new'),
      title: { en: 'New' },
    });
    expect(create.statusCode).toBe(403);
    // A write grant is no publish grant.
    const publish = await call(viewer.session, 'POST', `/api/v1/pages/${a.id}/publish`, {
      version: await versionOf(`/api/v1/pages/${a.id}`),
    });
    expect(publish.statusCode).toBe(403);
    const stillB = await call(admin.session, 'GET', `/api/v1/pages/${b.id}`);
    expect(stillB.json<{ title: { en: string } }>().title.en).toBe('About us');
  });

  it('media.write on one medium: the viewer edits that one, not another', async () => {
    const [mine, other] = [await mediaRow(), await mediaRow()];
    await grant('media.write', `media:${mine}`);
    const ok = await patch(viewer.session, `/api/v1/media/${mine}`, { title: { en: 'Portrait' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ title: { en: string } }>().title).toEqual({ en: 'Portrait' });

    const refused = await patch(viewer.session, `/api/v1/media/${other}`, { title: { en: 'Portrait' } });
    expect([refused.statusCode, code(refused)]).toEqual([403, 'auth.forbidden']);
    expect((await call(viewer.session, 'DELETE', `/api/v1/media/${other}`)).statusCode).toBe(403);
    // The one granted may also be deleted by them: the grant is media.write on it.
    expect((await call(viewer.session, 'DELETE', `/api/v1/media/${mine}`)).statusCode).toBe(204);
  });

  it('consultants.manage on one consultant: the viewer edits that one, not another', async () => {
    const mine = await t.factories.consultant(admin.user.id);
    const other = await t.factories.consultant(admin.user.id, { first_name: 'Alan', last_name: 'Turing' });
    await grant('consultants.manage', `consultant:${mine.id}`);
    const ok = await patch(viewer.session, `/api/v1/consultants/${mine.id}`, { title: 'Principal' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ title: string }>().title).toBe('Principal');

    const refused = await patch(viewer.session, `/api/v1/consultants/${other.id}`, { title: 'Principal' });
    expect([refused.statusCode, code(refused)]).toEqual([403, 'auth.forbidden']);
    const create = await call(viewer.session, 'POST', '/api/v1/consultants', {
      first_name: 'New',
      last_name: 'One',
      email: `${t.factories.unique('c')}@example.com`,
    });
    expect(create.statusCode).toBe(403);
  });

  it('media.write on a consultant’s photo: a confirmed delete also needs consultants.manage on that consultant', async () => {
    const medium = await mediaRow();
    const consultant = await t.factories.consultant(admin.user.id, {
      photo_url: `/api/v1/media/${medium}/file`,
    });
    // A fresh viewer: the grants of the tests above do not count here.
    const other = await t.newUser('viewer');
    const give = async (permission: string, resource: string) => {
      const res = await call(admin.session, 'POST', `/api/v1/users/${other.user.id}/permissions`, {
        permission,
        resource,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    await give('media.write', `media:${medium}`);
    const url = `/api/v1/media/${medium}?confirm=true`;
    const refused = await call(other.session, 'DELETE', url);
    expect([refused.statusCode, code(refused)]).toEqual([403, 'media.release_forbidden']);
    const photo = async () =>
      (
        await t.database.db
          .selectFrom('consultants')
          .select('photo_url')
          .where('id', '=', consultant.id)
          .executeTakeFirstOrThrow()
      ).photo_url;
    expect(await photo()).toBe(`/api/v1/media/${medium}/file`);

    await give('consultants.manage', `consultant:${consultant.id}`);
    expect((await call(other.session, 'DELETE', url)).statusCode).toBe(204);
    expect(await photo()).toBeNull();
  });

  it('refuses (400) a scoped grant of a permission no route checks per resource, and stores nothing', async () => {
    const before = await call(admin.session, 'GET', `/api/v1/users/${viewer.user.id}/permissions`);
    const res = await call(admin.session, 'POST', `/api/v1/users/${viewer.user.id}/permissions`, {
      permission: 'bookings.manage',
      resource: `page:${randomUUID()}`,
    });
    expect([res.statusCode, code(res)]).toEqual([400, 'users.grant_not_scopable']);
    const after = await call(admin.session, 'GET', `/api/v1/users/${viewer.user.id}/permissions`);
    expect(after.json()).toEqual(before.json());
  });
});
