import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * APP_SECRET signs tokens. Outside production an unset secret is generated once into DATA_DIR/app-secret
 * (readable by the owner only) so restarts keep sessions valid; loadConfig already refused production without one.
 */
export function resolveAppSecret(config: Config): Config {
  if (config.appSecret) return config;
  const file = path.join(config.dataDir, 'app-secret');
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    secret = randomBytes(48).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  }
  return Object.freeze({ ...config, appSecret: secret });
}
