import { expect, vi } from 'vitest';

/**
 * Password hashing at test strength: argon2id as in production, but with 1 MiB and one pass instead of 64 MiB and
 * three passes (about 0.5 CPU seconds each on the CI machine). Hundreds of sign-ins per run otherwise spend about
 * half of the suite's CPU time hashing. The files listed keep the production cost: they measure it.
 */
const PRODUCTION_COST = [
  // An unknown e-mail must take as long as a wrong password: only a real hash makes the difference visible.
  'src/modules/identity/auth.test.ts',
];

const testPath = expect.getState().testPath ?? '';
if (!PRODUCTION_COST.some((file) => testPath.endsWith(file))) {
  vi.doMock('argon2', async (importOriginal) => {
    const real = await importOriginal<typeof import('argon2')>();
    const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
    // Only the encoded form is used (hashPassword), so the overload returning raw bytes needs no own type.
    const hash = ((password: string, options?: object) =>
      real.hash(password, { ...cheap, ...options })) as typeof real.hash;
    const needsRehash: typeof real.needsRehash = (digest, options) =>
      real.needsRehash(digest, { ...cheap, ...options });
    const argon2 = { ...real, hash, needsRehash };
    return { ...argon2, default: argon2 };
  });
}
