import { Accounts } from './accounts.ts';
import type { IdentityDeps } from './deps.ts';
import { Passwords } from './passwords.ts';
import type { MeView } from './schemas.ts';
import { Sessions, type AuthContext } from './sessions.ts';
import { SignIn } from './sign-in.ts';
import { TwoFactor } from './two-factor.ts';

export type { IdentityDeps } from './deps.ts';
export type { AuthContext, IssuedSession, SessionEndReason } from './sessions.ts';

/**
 * The identity module's services by concern, decorated as `app.identity`: sign-in and lockout, sessions (the
 * guard authenticates through them), passwords and reset links, two-factor authentication, and the accounts
 * the users module administers.
 */
export class IdentityService {
  readonly sessions: Sessions;
  readonly signIn: SignIn;
  readonly passwords: Passwords;
  readonly twoFactor: TwoFactor;
  readonly accounts: Accounts;

  constructor(deps: IdentityDeps) {
    this.sessions = new Sessions(deps);
    this.signIn = new SignIn(deps, this.sessions);
    this.passwords = new Passwords(deps, this.sessions, this.signIn);
    this.twoFactor = new TwoFactor(deps, this.signIn);
    this.accounts = new Accounts(deps);
  }

  /** The signed-in user, their effective permissions and two-factor state. */
  async me(auth: AuthContext): Promise<MeView> {
    const user = await this.accounts.find(auth.user.id);
    if (!user) throw new Error(`the signed-in user ${auth.user.id} is gone`);
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
          ? await this.twoFactor.remainingRecoveryCodes(auth.user.id)
          : 0,
      },
    };
  }
}
