import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { MeView, UserView } from '../../src/modules/identity/index.ts';
import type { TestContext } from '../fixture.ts';
import type { Session, TestUser } from './auth.ts';

/** What the users API's test files ask again and again, on one fixture; `reader` is who reads users. */
export function usersKit(t: TestContext, reader: () => Session) {
  return {
    /** A user as the API shows it to `reader`. */
    getUser: async (id: string): Promise<UserView> => {
      const res = await t.call(reader(), 'GET', `/api/v1/users/${id}`);
      expect(res.statusCode).toBe(200);
      return res.json<UserView>();
    },
    /** The signed-in user's own view. */
    me: async (session: Session): Promise<MeView> => {
      const res = await t.call(session, 'GET', '/api/v1/auth/me');
      expect(res.statusCode).toBe(200);
      return res.json<MeView>();
    },
    /** The status `/auth/me` answers the session with: 200 while it lives. */
    status: async (session: Session): Promise<number> => {
      return (await t.call(session, 'GET', '/api/v1/auth/me')).statusCode;
    },
    login: (user: Pick<TestUser, 'email'>, password: string): Promise<LightMyRequestResponse> => {
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password },
      });
    },
    /** A fresh user of `role`, signed in: for tests that deactivate, delete or re-grant. */
    freshUser: (role: TestUser['role']): Promise<{ user: TestUser; session: Session }> => {
      return t.newUser(role);
    },
    /** The audit trail of one record. */
    auditRows: (filter: {
      table: string;
      record: string;
      event?: string;
    }): Promise<{ event_type: string; user_id: string | null; request_id: string | null }[]> => {
      let query = t.database.db
        .selectFrom('audit_logs')
        .select(['event_type', 'user_id', 'request_id'])
        .where('table_name', '=', filter.table)
        .where('record_id', '=', filter.record);
      if (filter.event) query = query.where('event_type', '=', filter.event);
      return query.execute();
    },
  };
}
