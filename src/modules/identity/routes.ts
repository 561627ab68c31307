import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { authError } from './errors.ts';
import { authOf, COOKIE } from './guard.ts';
import {
  ChangePasswordBody,
  CodeBody,
  CSRF_HEADER,
  LoginBody,
  LoginResponse,
  MeResponse,
  PasswordBody,
  RecoveryCodes,
  RefreshBody,
  ResetAccepted,
  ResetConfirmBody,
  ResetDone,
  ResetRequestBody,
  RevokedCount,
  SessionList,
  TokenResponse,
  TwoFactorSetup,
  type TokenResponse as Tokens,
} from './schemas.ts';
import type { IdentityService } from './service.ts';
import type { IssuedSession } from './sessions.ts';

export interface AuthRouteOptions {
  identity: IdentityService;
  /** Requests per minute and IP; 0: no limit. */
  rateLimit: number;
  secureCookies: boolean;
}

export async function authRoutes(app: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  const { identity, secureCookies } = options;
  const { sessions, signIn, passwords, twoFactor } = identity;
  if (options.rateLimit > 0) {
    // Registered inside this plugin, so it counts only /api/v1/auth/* requests, per client IP.
    await app.register(rateLimit, { max: options.rateLimit, timeWindow: '1 minute' });
  }
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];

  const cookieBase = { httpOnly: true, secure: secureCookies, sameSite: 'strict' as const };
  function setSessionCookies(reply: FastifyReply, session: IssuedSession): string {
    const csrf = sessions.csrfToken(session.sessionId);
    void reply
      .setCookie(COOKIE.access, session.accessToken, {
        ...cookieBase,
        path: '/',
        expires: session.accessExpiresAt,
      })
      .setCookie(COOKIE.refresh, session.refreshToken, {
        ...cookieBase,
        path: '/api/v1/auth',
        expires: session.expiresAt,
      })
      .setCookie(COOKIE.csrf, csrf, {
        ...cookieBase,
        httpOnly: false,
        path: '/',
        expires: session.expiresAt,
      });
    return csrf;
  }
  function clearSessionCookies(reply: FastifyReply): void {
    void reply
      .clearCookie(COOKIE.access, { ...cookieBase, path: '/' })
      .clearCookie(COOKIE.refresh, { ...cookieBase, path: '/api/v1/auth' })
      .clearCookie(COOKIE.csrf, { ...cookieBase, httpOnly: false, path: '/' });
  }
  function tokens(reply: FastifyReply, session: IssuedSession, mode: 'token' | 'cookie' | undefined): Tokens {
    const base = { token_type: 'Bearer' as const, expires_in: sessions.accessTokenSeconds };
    if (mode === 'cookie') return { ...base, csrf_token: setSessionCookies(reply, session) };
    return { ...base, access_token: session.accessToken, refresh_token: session.refreshToken };
  }

  r.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'login',
        tags,
        summary: 'Sign in with e-mail and password (and a second factor when enrolled)',
        description:
          'Wrong e-mail and wrong password answer alike (401 auth.invalid_credentials). Enrolled users without ' +
          'totp_code get 401 auth.totp_required. Too many failures in a row lock the account (423 auth.locked); ' +
          'an address without an account is counted and locked the same way: the answer does not say which it is.',
        body: LoginBody,
        response: { 200: LoginResponse, ...errorResponses(400, 401, 403, 423, 429) },
      },
    },
    async (request, reply) => {
      const { email, password, totp_code: totpCode, session: mode } = request.body;
      const result = await signIn.login({ email, password, totpCode }, request.actor);
      return { ...tokens(reply, result.session, mode), user: result.user };
    },
  );

  r.post(
    '/api/v1/auth/refresh',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'refreshSession',
        tags,
        summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
        description:
          'Presenting a refresh token that was already exchanged ends the whole session (401 auth.refresh_reused), ' +
          'except within security.refresh_grace_seconds (10) of its exchange while the pair it got is still ' +
          'current: then that same pair is answered again (two tabs refreshing at once). ' +
          `Cookie sessions send no body but the ${CSRF_HEADER} header.`,
        body: RefreshBody,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 403, 429) },
      },
      // A POST without a body has none at all, which an object schema would refuse.
      preValidation: (request, _reply, done) => {
        (request as { body: unknown }).body ??= {};
        done();
      },
    },
    async (request, reply) => {
      // The body is optional: cookie sessions send none.
      const fromBody = (request.body as { refresh_token?: string } | undefined)?.refresh_token;
      const fromCookie = request.cookies[COOKIE.refresh];
      const token = fromBody ?? fromCookie;
      if (!token) throw authError('auth.refresh_missing');
      const csrf = fromBody ? undefined : String(request.headers[CSRF_HEADER] ?? '');
      const session = await sessions.refresh(token, request.actor, csrf);
      return tokens(reply, session, fromBody ? 'token' : 'cookie');
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'logout',
        tags,
        summary: 'End the current session',
        response: { 204: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await sessions.logout(authOf(request), request.actor);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'getMe',
        tags,
        summary: 'The signed-in user, their effective permissions and two-factor state',
        response: { 200: MeResponse, ...errorResponses(401) },
      },
    },
    (request) => identity.me(authOf(request)),
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'changePassword',
        tags,
        summary: 'Change your own password; your other sessions end',
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 423) },
      },
    },
    async (request, reply) => {
      const { current_password: currentPassword, new_password: newPassword } = request.body;
      await passwords.change(authOf(request), { currentPassword, newPassword }, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/sessions',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'listSessions',
        tags,
        summary: 'Your live sessions (devices)',
        response: { 200: SessionList, ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await sessions.list(authOf(request)) }),
  );

  r.delete(
    '/api/v1/auth/sessions/:id',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'revokeSession',
        tags,
        summary: 'End one of your sessions',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await sessions.revoke(authOf(request), request.params.id, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.delete(
    '/api/v1/auth/sessions',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'revokeOtherSessions',
        tags,
        summary: 'End all your sessions except this one',
        response: { 200: RevokedCount, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ revoked: await sessions.revokeOthers(authOf(request), request.actor) }),
  );

  r.post(
    '/api/v1/auth/password-reset/request',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'requestPasswordReset',
        tags,
        summary: 'Mail a password reset link (always 202: whether the address exists is not revealed)',
        body: ResetRequestBody,
        response: { 202: ResetAccepted, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await passwords.requestReset(request.body.email, request.actor);
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  r.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'confirmPasswordReset',
        tags,
        summary: 'Set a new password with the mailed token (once, within an hour); every session ends',
        description:
          'Two-factor authentication stays as it was: two_factor_enabled says whether the next sign-in needs a ' +
          'code. The owner is mailed a notice (template password_changed) saying the same.',
        body: ResetConfirmBody,
        response: { 200: ResetDone, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const done = await passwords.confirmReset(request.body.token, request.body.password, request.actor);
      return { two_factor_enabled: done.twoFactorEnabled };
    },
  );

  r.post(
    '/api/v1/auth/2fa/setup',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'setupTwoFactor',
        tags,
        summary: 'Start two-factor enrolment (needs the password): a secret, its otpauth URI and a QR code',
        description:
          'A wrong password answers 403 auth.password_incorrect and counts as a failed sign-in; too many lock ' +
          'the account (423 auth.locked).',
        body: PasswordBody,
        response: { 200: TwoFactorSetup, ...errorResponses(400, 401, 403, 409, 423) },
      },
    },
    (request) => twoFactor.start(authOf(request), request.body.password, request.actor),
  );

  r.post(
    '/api/v1/auth/2fa/confirm',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'confirmTwoFactor',
        tags,
        summary: 'Finish enrolment with a code from the app; answers ten one-time recovery codes',
        body: CodeBody,
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => ({
      recovery_codes: await twoFactor.confirm(authOf(request), request.body.code, request.actor),
    }),
  );

  r.post(
    '/api/v1/auth/2fa/disable',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'disableTwoFactor',
        tags,
        summary: 'Turn two-factor authentication off (needs the password)',
        body: PasswordBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 409, 423) },
      },
    },
    async (request, reply) => {
      await twoFactor.disable(authOf(request), request.body.password, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/2fa/recovery-codes',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'regenerateRecoveryCodes',
        tags,
        summary: 'Replace the recovery codes (needs the password); the old ones stop working',
        body: PasswordBody,
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409, 423) },
      },
    },
    async (request) => ({
      recovery_codes: await twoFactor.regenerateRecoveryCodes(
        authOf(request),
        request.body.password,
        request.actor,
      ),
    }),
  );
}
