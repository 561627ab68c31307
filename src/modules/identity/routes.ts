import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authOf, COOKIE, CSRF_HEADER } from './guard.ts';
import type { IdentityService, IssuedSession } from './service.ts';
import { authError } from './errors.ts';

export interface AuthRouteOptions {
  identity: IdentityService;
  /** Requests per minute and IP; 0: no limit. */
  rateLimit: number;
  secureCookies: boolean;
}

const Email = Type.String({ minLength: 3, maxLength: 255, format: 'email' });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const NewPassword = Type.String({
  minLength: 12,
  maxLength: 128,
  description: '12–128 characters, not the e-mail',
});
const Code = Type.String({
  minLength: 6,
  maxLength: 20,
  description: 'A 6-digit TOTP code or a recovery code',
});

const TokenResponse = Type.Object({
  token_type: Type.Literal('Bearer'),
  access_token: Type.Optional(Type.String({ description: 'Absent when session is "cookie"' })),
  refresh_token: Type.Optional(Type.String({ description: 'Absent when session is "cookie"' })),
  expires_in: Type.Integer({ description: 'Seconds until the access token expires' }),
  csrf_token: Type.Optional(
    Type.String({
      description: `Cookie sessions: send it as ${CSRF_HEADER} with every POST/PUT/PATCH/DELETE`,
    }),
  ),
});

const LoginResponse = Type.Intersect([TokenResponse, Type.Object({ user: Type.Ref('User') })]);

const SessionMode = Type.Optional(
  Type.Union([Type.Literal('token'), Type.Literal('cookie')], {
    default: 'token',
    description: '"cookie" (the admin UI): tokens are set as HttpOnly cookies and left out of the body',
  }),
);

const SessionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ip_address: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  device_info: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  last_activity_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
  current: Type.Boolean(),
});

const RecoveryCodes = Type.Object({
  recovery_codes: Type.Array(Type.String(), { description: 'Shown once; each works once instead of a code' }),
});

export async function authRoutes(app: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  const { identity, secureCookies } = options;
  if (options.rateLimit > 0) {
    // Registered inside this plugin, so it counts only /api/v1/auth/* requests, per client IP.
    await app.register(rateLimit, { max: options.rateLimit, timeWindow: '1 minute' });
  }
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];

  const cookieBase = { httpOnly: true, secure: secureCookies, sameSite: 'strict' as const };
  function setSessionCookies(reply: FastifyReply, session: IssuedSession): string {
    const csrf = identity.csrfToken(session.sessionId);
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
  function tokens(reply: FastifyReply, session: IssuedSession, mode: 'token' | 'cookie' | undefined) {
    const base = { token_type: 'Bearer' as const, expires_in: identity.accessTokenSeconds };
    if (mode === 'cookie') return { ...base, csrf_token: setSessionCookies(reply, session) };
    return { ...base, access_token: session.accessToken, refresh_token: session.refreshToken };
  }

  r.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with e-mail and password (and a second factor when enrolled)',
        description:
          'Wrong e-mail and wrong password answer alike (401 auth.invalid_credentials). Enrolled users without ' +
          'totp_code get 401 auth.totp_required. Too many failures in a row lock the account (423 auth.locked).',
        body: Type.Object(
          { email: Email, password: Password, totp_code: Type.Optional(Code), session: SessionMode },
          { additionalProperties: false },
        ),
        response: { 200: LoginResponse, ...errorResponses(400, 401, 403, 423, 429) },
      },
    },
    async (request, reply) => {
      const { email, password, totp_code: totpCode, session: mode } = request.body;
      const result = await identity.login({ email, password, totpCode }, request.actor);
      return { ...tokens(reply, result.session, mode), user: result.user };
    },
  );

  r.post(
    '/api/v1/auth/refresh',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
        description:
          'Presenting a refresh token that was already exchanged ends the whole session (401 auth.refresh_reused). ' +
          `Cookie sessions send no body but the ${CSRF_HEADER} header.`,
        body: Type.Optional(
          Type.Object(
            { refresh_token: Type.Optional(Type.String({ maxLength: 200 })) },
            { additionalProperties: false },
          ),
        ),
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
      const session = await identity.refresh(token, request.actor, csrf);
      return tokens(reply, session, fromBody ? 'token' : 'cookie');
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'End the current session',
        response: { 204: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await identity.logout(authOf(request), request.actor);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'The signed-in user, their effective permissions and two-factor state',
        response: {
          200: Type.Object({
            user: Type.Ref('User'),
            permissions: Type.Array(Type.String()),
            scoped_permissions: Type.Array(
              Type.Object({ permission: Type.String(), resource: Type.String() }),
            ),
            two_factor: Type.Object({
              enabled: Type.Boolean(),
              enrolment_required: Type.Boolean(),
              recovery_codes_left: Type.Integer(),
            }),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const user = await identity.me(auth.user.id);
      return {
        user,
        permissions: [...auth.permissions].sort(),
        scoped_permissions: [...auth.scoped].flatMap(([permission, resources]) =>
          [...resources].map((resource) => ({ permission, resource })),
        ),
        two_factor: {
          enabled: user.two_factor_enabled,
          enrolment_required: auth.mustEnrolTwoFactor,
          recovery_codes_left: user.two_factor_enabled
            ? await identity.remainingRecoveryCodes(auth.user.id)
            : 0,
        },
      };
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'Change your own password; your other sessions end',
        body: Type.Object(
          { current_password: Password, new_password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 423) },
      },
    },
    async (request, reply) => {
      const { current_password: currentPassword, new_password: newPassword } = request.body;
      await identity.changePassword(authOf(request), { currentPassword, newPassword }, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/sessions',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'Your live sessions (devices)',
        response: { 200: Type.Object({ items: Type.Array(SessionSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      return { items: await identity.listSessions(auth.user.id, auth.sessionId) };
    },
  );

  r.delete(
    '/api/v1/auth/sessions/:id',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'End one of your sessions',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await identity.revokeSession(authOf(request), request.params.id, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.delete(
    '/api/v1/auth/sessions',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'End all your sessions except this one',
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ revoked: await identity.revokeOtherSessions(authOf(request), request.actor) }),
  );

  r.post(
    '/api/v1/auth/password-reset/request',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Mail a password reset link (always 202: whether the address exists is not revealed)',
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ status: Type.Literal('accepted') }), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await identity.requestPasswordReset(request.body.email, request.actor);
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  r.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Set a new password with the mailed token (once, within an hour); every session ends',
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 200 }), password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await identity.confirmPasswordReset(request.body.token, request.body.password, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/2fa/setup',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'Start two-factor enrolment: a secret, its otpauth URI and a QR code',
        response: {
          200: Type.Object({ secret: Type.String(), otpauth_uri: Type.String(), qr_svg: Type.String() }),
          ...errorResponses(401, 403, 409),
        },
      },
    },
    (request) => identity.startTwoFactor(authOf(request), request.actor),
  );

  r.post(
    '/api/v1/auth/2fa/confirm',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        tags,
        summary: 'Finish enrolment with a code from the app; answers ten one-time recovery codes',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => ({
      recovery_codes: await identity.confirmTwoFactor(authOf(request), request.body.code, request.actor),
    }),
  );

  r.post(
    '/api/v1/auth/2fa/disable',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Turn two-factor authentication off (needs the password)',
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 409, 423) },
      },
    },
    async (request, reply) => {
      await identity.disableTwoFactor(authOf(request), request.body.password, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/2fa/recovery-codes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Replace the recovery codes (needs the password); the old ones stop working',
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409, 423) },
      },
    },
    async (request) => ({
      recovery_codes: await identity.regenerateRecoveryCodes(
        authOf(request),
        request.body.password,
        request.actor,
      ),
    }),
  );
}
