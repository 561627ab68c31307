import Type, { type Static } from 'typebox';
import { NullableString, NullableTimestamp, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { CSRF_HEADER } from '../../platform/security/tokens.ts';

export { CSRF_HEADER };

export const RoleSchema = Type.Union([
  Type.Literal('viewer'),
  Type.Literal('editor'),
  Type.Literal('admin'),
  Type.Literal('super_admin'),
]);

export const Language = Type.Union([Type.Literal('en'), Type.Literal('de')]);

/** A user as the API shows it: never a password hash, reset token or TOTP secret. Shared as `User`. */
export const UserSchema = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    avatar_url: NullableString,
    timezone: Type.String(),
    language: Language,
    role: RoleSchema,
    is_active: Type.Boolean(),
    two_factor_enabled: Type.Boolean(),
    last_login_at: NullableTimestamp,
    locked_until: NullableTimestamp,
    password_changed_at: NullableTimestamp,
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: NullableTimestamp,
    version: Type.Integer(),
  },
  { $id: 'User' },
);
export type UserView = Static<typeof UserSchema>;

export const Email = Type.String({ minLength: 3, maxLength: 255, format: 'email' });
/** A password as typed to prove who one is (any length the policy ever allowed). */
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
/** A password being set: the policy's bounds (checkPasswordPolicy says the rest). */
export const NewPassword = Type.String({
  minLength: 12,
  maxLength: 128,
  description: '12–128 characters, not the e-mail',
});
const Code = Type.String({
  minLength: 6,
  maxLength: 20,
  description: 'A 6-digit TOTP code or a recovery code',
});

export const TokenResponse = Type.Object({
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
export type TokenResponse = Static<typeof TokenResponse>;

export const LoginResponse = Type.Intersect([TokenResponse, Type.Object({ user: Type.Ref('User') })]);

const SessionMode = Type.Optional(
  Type.Union([Type.Literal('token'), Type.Literal('cookie')], {
    default: 'token',
    description: '"cookie" (the admin UI): tokens are set as HttpOnly cookies and left out of the body',
  }),
);

export const LoginBody = Type.Object(
  { email: Email, password: Password, totp_code: Type.Optional(Code), session: SessionMode },
  { additionalProperties: false },
);

export const RefreshBody = Type.Optional(
  Type.Object(
    { refresh_token: Type.Optional(Type.String({ maxLength: 200 })) },
    { additionalProperties: false },
  ),
);

export const MeResponse = Type.Object({
  user: Type.Ref('User'),
  permissions: Type.Array(Type.String()),
  scoped_permissions: Type.Array(Type.Object({ permission: Type.String(), resource: Type.String() })),
  two_factor: Type.Object({
    enabled: Type.Boolean(),
    enrolment_required: Type.Boolean(),
    recovery_codes_left: Type.Integer(),
  }),
});

/** GET /auth/me: the user is the shared `User`. */
export type MeView = Omit<Static<typeof MeResponse>, 'user'> & { user: UserView };

export const ChangePasswordBody = Type.Object(
  { current_password: Password, new_password: NewPassword },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object({
  id: Uuid,
  ip_address: NullableString,
  user_agent: NullableString,
  device_info: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  created_at: Timestamp,
  last_activity_at: Timestamp,
  expires_at: Timestamp,
  current: Type.Boolean(),
});
export type SessionView = Static<typeof SessionSchema>;

export const SessionList = Type.Object({ items: Type.Array(SessionSchema) });
export const RevokedCount = Type.Object({ revoked: Type.Integer() });

export const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
export const ResetAccepted = Type.Object({ status: Type.Literal('accepted') });
export const ResetDone = Type.Object({
  two_factor_enabled: Type.Boolean({
    description:
      'A reset leaves two-factor authentication as it was. true: it stays on; sign in with the new password ' +
      'and a code from the authenticator app (or a recovery code)',
  }),
});
export const ResetConfirmBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), password: NewPassword },
  { additionalProperties: false },
);

export const TwoFactorSetup = Type.Object({
  secret: Type.String(),
  otpauth_uri: Type.String(),
  qr_svg: Type.String(),
});
export type TwoFactorSetup = Static<typeof TwoFactorSetup>;

export const CodeBody = Type.Object({ code: Code }, { additionalProperties: false });
export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const RecoveryCodes = Type.Object({
  recovery_codes: Type.Array(Type.String(), { description: 'Shown once; each works once instead of a code' }),
});
