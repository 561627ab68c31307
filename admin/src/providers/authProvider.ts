// Sign-in with a cookie session: the API sets HttpOnly cookies and answers the CSRF token, which the panel reads
// from its (readable) cookie for every change. A sign-in that needs the second factor rejects with the API's
// auth.totp_required error; the sign-in page then asks for the code and signs in again with it.
import type { AuthProvider } from 'react-admin';
import { api, ApiError } from '../api/http.ts';
import type { Body } from '../api/types.ts';
import { canAccessResource } from '../auth/access.ts';
import { currentMe, forgetMe, loadMe } from '../auth/session.ts';

export type Credentials = Pick<Body<'login'>, 'email' | 'password' | 'totp_code'>;

export const authProvider: AuthProvider = {
  async login(credentials: Credentials) {
    await api('POST', '/auth/login', { body: { ...credentials, session: 'cookie' } });
    await loadMe();
  },

  async logout() {
    try {
      await api('POST', '/auth/logout');
    } catch {
      // Signed out already (an expired session): the cookies are cleared either way.
    }
    forgetMe();
  },

  async checkAuth() {
    await loadMe();
  },

  checkError(error: unknown) {
    const status = (error as { status?: number } | null)?.status;
    // A 401 that a refresh could not cure: the session is over. A 403 is shown as an error, not a sign-out.
    if (status === 401) {
      forgetMe();
      return Promise.reject(error instanceof ApiError ? error : new Error('auth.session_expired'));
    }
    return Promise.resolve();
  },

  async getIdentity() {
    const me = currentMe() ?? (await loadMe());
    const { user } = me;
    return {
      id: user.id,
      fullName: `${user.first_name} ${user.last_name}`.trim() || user.email,
      avatar: user.avatar_url ?? undefined,
      email: user.email,
      language: user.language,
      timezone: user.timezone,
    };
  },

  async getPermissions() {
    const me = currentMe() ?? (await loadMe());
    return me.permissions;
  },

  async canAccess({ resource, action }) {
    const me = currentMe() ?? (await loadMe().catch(() => null));
    return canAccessResource(me, resource, action);
  },
};
