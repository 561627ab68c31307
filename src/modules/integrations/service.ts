import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DB, IntegrationLogs } from '../../platform/db/schema.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { IntegrationConfigs } from '../../platform/integrations/config.ts';
import { GoogleCalendarClient } from '../../platform/integrations/google-calendar.ts';
import {
  IntegrationError,
  IntegrationHttp,
  type IntegrationName,
  type RetryPolicy,
} from '../../platform/integrations/http.ts';
import { OdooClient } from '../../platform/integrations/odoo.ts';
import { prepareRetry, type RetryClients } from '../../platform/integrations/retry.ts';
import type { AuthContext } from '../identity/service.ts';
import { integrationError } from './errors.ts';

export interface IntegrationsDeps {
  db: Kysely<DB>;
  configs: IntegrationConfigs;
  /** Tests shorten the waits between attempts. */
  retryPolicy?: Partial<RetryPolicy>;
}

export interface IntegrationLogQuery {
  integration_name?: string | undefined;
  status?: string | undefined;
  operation?: string | undefined;
  related_table?: string | undefined;
  related_id?: string | undefined;
  correlation_id?: string | undefined;
  retry_of?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  per_page: number;
}

export interface IntegrationLogView {
  id: string;
  integration_name: string;
  operation: string;
  direction: string;
  endpoint: string | null;
  request_data: unknown;
  response_data: unknown;
  status: string;
  error_message: string | null;
  error_code: string | null;
  started_at: string;
  completed_at: string | null;
  duration_ms: number | null;
  triggered_by: string | null;
  related_table: string | null;
  related_id: string | null;
  attempt: number;
  correlation_id: string | null;
  idempotency_key: string | null;
  retry_of: string | null;
  /** Whether POST .../retry can run this row's operation again. */
  retryable: boolean;
}

export interface RetryOutcome {
  retry_of: string;
  correlation_id: string;
  result: unknown;
  logs: IntegrationLogView[];
}

function toView(row: Selectable<IntegrationLogs>): IntegrationLogView {
  const { retry_context: retryContext, ...rest } = row;
  return {
    ...rest,
    request_data: row.request_data,
    response_data: row.response_data,
    started_at: row.started_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    retryable: row.status !== 'success' && prepareRetry(row.integration_name, retryContext) !== null,
  };
}

export class IntegrationsService {
  constructor(private readonly deps: IntegrationsDeps) {}

  private get db() {
    return this.deps.db;
  }

  async list(query: IntegrationLogQuery): Promise<Page<IntegrationLogView>> {
    let base = this.db.selectFrom('integration_logs');
    if (query.integration_name) base = base.where('integration_name', '=', query.integration_name);
    if (query.status) base = base.where('status', '=', query.status);
    if (query.operation) base = base.where('operation', '=', query.operation);
    if (query.related_table) base = base.where('related_table', '=', query.related_table);
    if (query.related_id) base = base.where('related_id', '=', query.related_id);
    if (query.correlation_id) base = base.where('correlation_id', '=', query.correlation_id);
    if (query.retry_of) base = base.where('retry_of', '=', query.retry_of);
    if (query.from) base = base.where('started_at', '>=', new Date(query.from));
    if (query.to) base = base.where('started_at', '<', new Date(query.to));
    return fetchPage(
      base.selectAll().orderBy('started_at', 'desc').orderBy('attempt', 'desc').orderBy('id', 'desc'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      toView,
    );
  }

  private async row(id: string): Promise<Selectable<IntegrationLogs>> {
    const row = await this.db
      .selectFrom('integration_logs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw integrationError('integrations.log_not_found');
    return row;
  }

  async get(id: string): Promise<IntegrationLogView> {
    return toView(await this.row(id));
  }

  /**
   * Runs the failed row's operation again, with credentials from the current configuration, on behalf of
   * `auth`. Every call it makes is logged with retry_of pointing at the row.
   */
  async retry(auth: AuthContext, id: string): Promise<RetryOutcome> {
    const row = await this.row(id);
    if (row.status === 'success') throw integrationError('integrations.not_failed');
    const prepared = prepareRetry(row.integration_name, row.retry_context);
    if (!prepared) throw integrationError('integrations.not_retryable');
    const correlationId = randomUUID();
    const context = {
      triggeredBy: auth.user.id,
      related: row.related_table && row.related_id ? { table: row.related_table, id: row.related_id } : null,
      retryOf: row.id,
      correlationId,
    };
    let result: unknown;
    try {
      result = await prepared.run(this.clients(), context);
    } catch (error) {
      if (error instanceof IntegrationError && error.kind === 'config') {
        throw integrationError('integrations.not_configured', {
          integration: row.integration_name,
          reason: error.message,
        });
      }
      if (error instanceof IntegrationError) {
        throw integrationError('integrations.call_failed', {
          reason: error.message,
          correlation_id: correlationId,
        });
      }
      throw error;
    }
    const logs = await this.db
      .selectFrom('integration_logs')
      .selectAll()
      .where('correlation_id', '=', correlationId)
      .orderBy('started_at')
      .orderBy('attempt')
      .execute();
    return {
      retry_of: row.id,
      correlation_id: correlationId,
      result: result ?? null,
      logs: logs.map(toView),
    };
  }

  private http(integration: IntegrationName, timeoutMs?: number): IntegrationHttp {
    return new IntegrationHttp({
      db: this.db,
      integration,
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(this.deps.retryPolicy ? { retry: this.deps.retryPolicy } : {}),
    });
  }

  private clients(): RetryClients {
    const missing = (name: string) =>
      new IntegrationError('config', `no ${name} connection is set up in the settings`);
    return {
      odoo: async () => {
        const config = await this.deps.configs.odoo();
        if (!config) throw missing('Odoo');
        return new OdooClient(config, this.http('odoo', config.timeoutMs));
      },
      googleCalendar: async () => {
        const config = await this.deps.configs.googleCalendar();
        if (!config) throw missing('Google Calendar');
        return new GoogleCalendarClient(config, this.http('google_calendar', config.timeoutMs));
      },
    };
  }
}
