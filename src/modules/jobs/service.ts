import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import { jobError } from './errors.ts';
import type { FailedJob, FailedQuery, QueueView } from './schemas.ts';

/** The background queues as staff see them: what each holds, what failed for good, and a second chance. */
export class JobsAdminService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly jobs: Jobs,
  ) {}

  async queues(): Promise<{ items: QueueView[] }> {
    return { items: await this.jobs.summary(this.db) };
  }

  async failed(query: FailedQuery): Promise<Page<FailedJob>> {
    return { ...(await this.jobs.failed(this.db, query)), page: query.page, per_page: query.per_page };
  }

  /** Puts a job that failed for good back in line; 404 when `queue` has no such failed job. */
  async retry(queue: string, id: string): Promise<{ status: 'queued' }> {
    if (!this.jobs.queueNames().includes(queue) || !(await this.jobs.retry(queue, id))) {
      throw jobError('jobs.not_failed');
    }
    return { status: 'queued' };
  }
}
