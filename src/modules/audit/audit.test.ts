import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, useTestApp } from '../../../test/fixture.ts';
import { as, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { AuditEntry } from './schemas.ts';
import type { UserView } from '../identity/index.ts';

/*
 * The audit trail through GET /audit-logs: who changed what from where, filters and pages.
 */

const t = useTestApp({
  now: new Date(),
});
const call = t.call.bind(t);
let admin: TestUser;
let adminS: Session;
let viewerS: Session;

beforeAll(async () => {
  ({ user: admin, session: adminS } = await t.as('admin'));
  ({ session: viewerS } = await t.as('viewer'));
});

/** A fresh user of `role`, signed in: for tests that deactivate, delete or re-grant. */
function freshUser(role: TestUser['role']): Promise<{ user: TestUser; session: Session }> {
  return t.newUser(role);
}

describe(`the audit trail on ${t.engine}`, () => {
  describe('the audit trail', () => {
    it('records a change with the acting user, the IP and the request id', async () => {
      const { id } = await t.factories.admin({ role: 'viewer' });
      const requestId = randomUUID();
      const res = await t.app.inject(
        as(adminS, {
          method: 'PATCH',
          url: `/api/v1/users/${id}`,
          payload: { version: 1, first_name: 'Audited' },
          headers: { 'x-request-id': requestId.toUpperCase() },
          remoteAddress: '203.0.113.7',
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toBe(requestId);

      const list = await call(
        adminS,
        'GET',
        `/api/v1/audit-logs?table_name=admin_users&record_id=${id}&event_type=UPDATE`,
      );
      expect(list.statusCode).toBe(200);
      const page = list.json<Page<AuditEntry>>();
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        event_type: 'UPDATE',
        table_name: 'admin_users',
        record_id: id,
        user_id: admin.id,
        user_email: admin.email,
        ip_address: '203.0.113.7',
        request_id: requestId,
      });
      expect(page.items[0]?.changed_fields).toContain('first_name');
      expect(JSON.stringify(page.items[0])).not.toContain('hashed_password');
      expect(JSON.stringify(page.items[0])).not.toContain('argon2');
    });

    it('records grants, and filters by user, event types, time, with pages', async () => {
      const started = new Date(Date.now() - 1000);
      const { user, session } = await freshUser('editor');
      const created = await call(adminS, 'POST', '/api/v1/users', {
        email: `audited-${randomUUID().slice(0, 6)}@example.com`,
        first_name: 'Audit',
        last_name: 'Trail',
        role: 'viewer',
      });
      expect(created.statusCode).toBe(201);
      const target = created.json<UserView>().id;
      const patched = await call(adminS, 'PATCH', `/api/v1/users/${target}`, {
        version: 1,
        last_name: 'Two',
      });
      expect(patched.statusCode).toBe(200);
      const granted = await t.app.inject(
        as(adminS, {
          method: 'POST',
          url: `/api/v1/users/${target}/permissions`,
          payload: { permission: 'leads.read' },
        }),
      );
      expect(granted.statusCode).toBe(200);
      const grantId = granted.json<{ items: { id: string }[] }>().items[0]?.id;

      const grantLog = (
        await call(adminS, 'GET', `/api/v1/audit-logs?table_name=user_permissions&record_id=${grantId ?? ''}`)
      ).json<Page<AuditEntry>>();
      expect(grantLog.total).toBe(1);
      expect(grantLog.items[0]).toMatchObject({
        event_type: 'INSERT',
        user_id: admin.id,
        user_email: admin.email,
        ip_address: '127.0.0.1',
        request_id: granted.headers['x-request-id'],
      });
      expect(grantLog.items[0]?.new_values).toMatchObject({ permission: 'leads.read', user_id: target });

      const base = `/api/v1/audit-logs?table_name=admin_users&record_id=${target}&user_id=${admin.id}`;
      const both = (await call(adminS, 'GET', `${base}&event_type=INSERT&event_type=UPDATE`)).json<
        Page<AuditEntry>
      >();
      expect(both.total).toBe(2);
      // Newest first.
      expect(both.items.map((i) => i.event_type)).toEqual(['UPDATE', 'INSERT']);
      const one = (await call(adminS, 'GET', `${base}&event_type=INSERT`)).json<Page<AuditEntry>>();
      expect(one.items.map((i) => i.event_type)).toEqual(['INSERT']);
      const paged = (
        await call(adminS, 'GET', `${base}&event_type=INSERT&event_type=UPDATE&per_page=1&page=2`)
      ).json<Page<AuditEntry>>();
      expect(paged).toMatchObject({ total: 2, page: 2, per_page: 1 });
      expect(paged.items.map((i) => i.event_type)).toEqual(['INSERT']);
      const byOther = (await call(adminS, 'GET', base.replace(admin.id, user.id))).json<Page<AuditEntry>>();
      expect(byOther.total).toBe(0);

      const from = encodeURIComponent(started.toISOString());
      const later = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
      const inWindow = (await call(adminS, 'GET', `${base}&from=${from}&to=${later}`)).json<
        Page<AuditEntry>
      >();
      expect(inWindow.total).toBe(2);
      const before = (await call(adminS, 'GET', `${base}&to=${from}`)).json<Page<AuditEntry>>();
      expect(before.total).toBe(0);
      const after = (await call(adminS, 'GET', `${base}&from=${later}`)).json<Page<AuditEntry>>();
      expect(after.total).toBe(0);

      // Editors and viewers do not read the trail.
      for (const denied of [session, viewerS]) {
        const res = await call(denied, 'GET', '/api/v1/audit-logs');
        expect(res.statusCode).toBe(403);
        expect(code(res)).toBe('auth.forbidden');
      }
      expect((await call(adminS, 'GET', '/api/v1/audit-logs?record_id=nope')).statusCode).toBe(400);
    });
  });
});
