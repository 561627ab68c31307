import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { IntegrationConfigs } from '../../platform/integrations/config.ts';
import { GoogleCalendarClient } from '../../platform/integrations/google-calendar.ts';
import {
  IntegrationError,
  IntegrationHttp,
  type IntegrationName,
  type RetryPolicy,
} from '../../platform/integrations/http.ts';
import { OdooClient } from '../../platform/integrations/odoo.ts';
import {
  findIntegrationLog,
  findIntegrationLogs,
  integrationLogsOfRun,
  type IntegrationLogRow,
} from '../../platform/integrations/repository.ts';
import { prepareRetry, type RetryClients } from '../../platform/integrations/retry.ts';
import type { AuthContext } from '../identity/index.ts';
import { integrationError } from './errors.ts';
import type { IntegrationLogQuery, IntegrationLogView, RetryOutcome } from './schemas.ts';

export interface IntegrationsDeps {
  db: Kysely<DB>;
  configs: IntegrationConfigs;
  /** Tests shorten the waits between attempts. */
  retryPolicy?: Partial<RetryPolicy>;
}

function toView(row: IntegrationLogRow): IntegrationLogView {
  const { retry_context: retryContext, ...rest } = row;
  return {
    ...rest,
    request_data: row.request_data,
    response_data: row.response_data,
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    retryable: row.status !== 'success' && prepareRetry(row.integration_name, retryContext) !== null,
  };
}

/** The integration log as staff read it, and retries of failed calls. */
export class IntegrationsService {
  constructor(private readonly deps: IntegrationsDeps) {}

  private get db() {
    return this.deps.db;
  }

  async list(query: IntegrationLogQuery): Promise<Page<IntegrationLogView>> {
    const { page, per_page: perPage, from, to, ...filter } = query;
    const { rows, total } = await findIntegrationLogs(
      this.db,
      { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { limit: perPage, offset: (page - 1) * perPage },
    );
    return { items: rows.map(toView), total, page, per_page: perPage };
  }

  private async row(id: string): Promise<IntegrationLogRow> {
    const row = await findIntegrationLog(this.db, id);
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
    const logs = await integrationLogsOfRun(this.db, correlationId);
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
