import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../db/connection.ts';
import type { DB } from '../db/schema.ts';
import {
  adapterFor,
  countsByQueueAndState,
  dataValues,
  failedJobs,
  jobIdsWhere,
  type JobState,
} from './repository.ts';

export type { JobState } from './repository.ts';

const WAITING: readonly JobState[] = ['created', 'retry'];

/**
 * Background jobs on pg-boss 10: named queues whose jobs live in PostgreSQL (schema `pgboss`), so they
 * survive restarts and run once however many app instances poll. On PGlite pg-boss runs through the
 * database's `executeSql` (its bring-your-own-connection option), behind the same lock as everything else.
 */

export interface QueueSpec {
  name: string;
  /** Attempts after the first. */
  retryLimit: number;
  /** Seconds before the first retry; doubled each time (exponential backoff). */
  retryDelay: number;
  /** A job running longer than this is failed (and retried). */
  expireInSeconds?: number;
}

/** May be async; a throw (or rejection) fails the attempt and schedules a retry. */
export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => unknown;

export interface SendOptions {
  /** A time, or seconds from now. */
  startAfter?: Date | number;
  /** At most one queued job per key. */
  singletonKey?: string;
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  executor?: Kysely<DB>;
}

/** A queue whose jobs carry `Payload`, as `Jobs.defineQueue` answers it. */
export interface Queue<Payload extends object> {
  readonly name: string;
  /** Enqueues a job; with `executor` a transaction, the job exists only if it commits. */
  send(data: Payload, options?: SendOptions): Promise<string>;
  /** Drops a job that has not run yet. */
  cancel(id: string, executor?: Kysely<DB>): Promise<void>;
  /** Ids of this queue's jobs whose data has `field` equal to `value` (default: those waiting to run). */
  findWhere(
    match: { field: keyof Payload & string; value: string },
    options: { states?: readonly JobState[]; executor: Kysely<DB> },
  ): Promise<string[]>;
}

export interface QueueSummary {
  name: string;
  retry_limit: number;
  retry_delay: number;
  counts: Record<'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed', number>;
}

export interface FailedJob {
  id: string;
  queue: string;
  data: unknown;
  error: string | null;
  retry_count: number;
  created_on: string;
  completed_on: string | null;
}

export interface JobsOptions {
  /** Run handlers in this process (the server does; a CLI that only enqueues does not). */
  work?: boolean;
  /** Seconds between polls of each queue. */
  pollingIntervalSeconds?: number;
  /** Tests shrink every queue's retry delay to this many seconds. */
  retryDelaySeconds?: number;
  onError?: (error: unknown) => void;
}

const STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;

export class Jobs {
  private readonly handlers = new Map<string, { spec: QueueSpec; handler: JobHandler<never> }>();
  private readonly schedules: { queue: string; cron: string; data: object }[] = [];
  private started = false;
  /** Handlers running now: stop() waits for them, so none reports to pg-boss after the database closed. */
  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobsOptions,
  ) {}

  static create(database: Database, options: JobsOptions = {}): Jobs {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => database.executeSql(text, values) },
      schema: 'pgboss',
      // Failed jobs stay visible (and retryable) for a month; finished ones are archived after a day.
      archiveCompletedAfterSeconds: 24 * 3600,
      archiveFailedAfterSeconds: 30 * 24 * 3600,
      deleteAfterDays: 30,
      supervise: options.work !== false,
      schedule: options.work !== false,
    });
    const jobs = new Jobs(boss, options);
    boss.on('error', (error) => options.onError?.(error));
    return jobs;
  }

  /** Declares a queue and, when this process works, its handler. Call before start(). */
  define<T>(spec: QueueSpec, handler: JobHandler<T>): void {
    if (this.started) throw new Error(`queue ${spec.name} defined after start`);
    this.handlers.set(spec.name, { spec, handler });
  }

  /**
   * Declares a queue with the type of its jobs' data, and (when this process works) its handler; answers the
   * typed queue to send to. Call before start().
   */
  defineQueue<Payload extends object>(spec: QueueSpec, handler: JobHandler<Payload>): Queue<Payload> {
    this.define(spec, handler);
    return {
      name: spec.name,
      send: (data, options) => this.send(spec.name, data, options),
      cancel: (id, executor) => this.cancel(spec.name, id, executor),
      findWhere: (match, options) => this.findWhere(spec.name, match, options),
    };
  }

  /** Runs `queue` on a cron schedule (UTC). Call before start(). */
  every(queue: string, cron: string, data: object = {}): void {
    this.schedules.push({ queue, cron, data });
  }

  /** Installs or migrates pg-boss's schema, creates the queues and starts the workers. */
  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const { spec } of this.handlers.values()) {
      const options = {
        name: spec.name,
        retryLimit: spec.retryLimit,
        retryDelay: this.options.retryDelaySeconds ?? spec.retryDelay,
        retryBackoff: true,
        ...(spec.expireInSeconds ? { expireInSeconds: spec.expireInSeconds } : {}),
      };
      if (await this.boss.getQueue(spec.name)) await this.boss.updateQueue(spec.name, options);
      else await this.boss.createQueue(spec.name, { ...options, policy: 'standard' });
    }
    for (const schedule of this.schedules) {
      await this.boss.schedule(schedule.queue, schedule.cron, schedule.data, { tz: 'UTC' });
    }
    if (this.options.work === false) return;
    for (const [name, { handler }] of this.handlers) {
      await this.boss.work<never>(
        name,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        },
        async ([job]) => {
          if (!job) return;
          const run = Promise.resolve(handler(job.data, { id: job.id, retryCount: job.retryCount }));
          this.running.add(run);
          try {
            await run;
          } finally {
            this.running.delete(run);
          }
        },
      );
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
    // pg-boss stops waiting after its timeout (a slow image job on a busy machine outlasts it); the handlers
    // still running finish first, and pg-boss records their outcome, before the caller closes the database.
    // Bounded: a handler that hangs must not keep the process from shutting down.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => (timer = setTimeout(resolve, 30_000))),
    ]);
    clearTimeout(timer);
    await new Promise((resolve) => setImmediate(resolve));
  }

  async send(queue: string, data: object, options: SendOptions = {}): Promise<string> {
    if (!this.handlers.has(queue)) throw new Error(`unknown queue ${queue}`);
    const { startAfter, singletonKey, executor } = options;
    const id = await this.boss.send(queue, data, {
      ...(startAfter !== undefined ? { startAfter } : {}),
      ...(singletonKey ? { singletonKey } : {}),
      ...(executor ? { db: adapterFor(executor) } : {}),
    });
    if (!id) throw new Error(`queue ${queue} did not take the job`);
    return id;
  }

  /** Drops a job that has not run yet (e.g. a reminder whose booking was cancelled). */
  async cancel(queue: string, id: string, executor?: Kysely<DB>): Promise<void> {
    await this.boss.cancel(queue, id, executor ? { db: adapterFor(executor) } : {});
  }

  /** Puts a failed job back in line; answers false when there is no failed job with that id. */
  async retry(queue: string, id: string): Promise<boolean> {
    const job = await this.boss.getJobById(queue, id);
    if (job?.state !== 'failed') return false;
    await this.boss.retry(queue, id);
    return true;
  }

  queueNames(): string[] {
    return [...this.handlers.keys()].sort();
  }

  async summary(db: Kysely<DB>): Promise<QueueSummary[]> {
    const counts = await countsByQueueAndState(db);
    return this.queueNames().map((name) => {
      const spec = this.handlers.get(name)?.spec;
      const row = Object.fromEntries(STATES.map((s) => [s, 0])) as QueueSummary['counts'];
      for (const c of counts) if (c.name === name) row[c.state as keyof typeof row] = c.n;
      return {
        name,
        retry_limit: spec?.retryLimit ?? 0,
        retry_delay: this.options.retryDelaySeconds ?? spec?.retryDelay ?? 0,
        counts: row,
      };
    });
  }

  /** Jobs that failed for good (every retry used), newest first. */
  async failed(
    db: Kysely<DB>,
    query: { queue?: string | undefined; page: number; per_page: number },
  ): Promise<{ items: FailedJob[]; total: number }> {
    const { rows, total } = await failedJobs(db, {
      queue: query.queue,
      limit: query.per_page,
      offset: (query.page - 1) * query.per_page,
    });
    return {
      items: rows.map((r) => ({
        id: r.id,
        queue: r.name,
        data: r.data,
        error: errorMessage(r.output),
        retry_count: r.retry_count,
        created_on: new Date(r.created_on).toISOString(),
        completed_on: r.completed_on ? new Date(r.completed_on).toISOString() : null,
      })),
      total,
    };
  }

  /**
   * Ids of the jobs of `queue` whose data has `field` equal to `value`, in one of `states` (by default those
   * still waiting to run: created or retry). Read through `executor` to see a transaction's own jobs.
   */
  async findWhere(
    queue: string,
    match: { field: string; value: string },
    options: { states?: readonly JobState[]; executor: Kysely<DB> },
  ): Promise<string[]> {
    return jobIdsWhere(options.executor, queue, match.field, match.value, options.states ?? WAITING);
  }

  /** The values of `field` in the data of the jobs of `queue` in one of `states` (default: waiting). */
  async dataValues(
    queue: string,
    field: string,
    options: { states?: readonly JobState[]; executor: Kysely<DB> },
  ): Promise<Set<string>> {
    return new Set(await dataValues(options.executor, queue, field, options.states ?? WAITING));
  }
}

function errorMessage(output: unknown): string | null {
  if (output && typeof output === 'object' && 'message' in output) return String(output.message);
  return output === null || output === undefined ? null : JSON.stringify(output);
}
