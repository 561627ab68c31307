import type { Database } from '../../platform/db/connection.ts';
import { databaseAnswers } from './repository.ts';
import type { Health } from './schemas.ts';

const READY_TIMEOUT_MS = 2000;

/** Liveness (the process answers) and readiness (the database answers within READY_TIMEOUT_MS). */
export class HealthService {
  constructor(private readonly database: Database) {}

  live(): Health {
    return { status: 'ok' };
  }

  async ready(): Promise<Health> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, READY_TIMEOUT_MS);
    });
    try {
      const ok = await Promise.race([databaseAnswers(this.database.db), timeout]);
      return { status: ok ? 'ok' : 'unavailable', checks: { database: ok ? 'ok' : 'unavailable' } };
    } finally {
      clearTimeout(timer);
    }
  }
}
