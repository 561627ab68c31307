import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { iso } from '../../platform/http/schemas.ts';
import { findAuditEntry, listAuditLogs, type AuditRow } from './repository.ts';
import type { AuditEntry, AuditQuery } from './schemas.ts';

type Json = Record<string, unknown> | null;

function toEntry(row: AuditRow): AuditEntry {
  return {
    ...row,
    old_values: row.old_values as Json,
    new_values: row.new_values as Json,
    metadata: row.metadata as Json,
    created_at: iso(row.created_at),
  };
}

/** Reads of the audit trail: for staff, and for modules that show one record's history. */
export class AuditService {
  constructor(private readonly db: Kysely<DB>) {}

  list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const { page, per_page, from, to, ...filter } = query;
    return listAuditLogs(
      this.db,
      { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { page, per_page },
      toEntry,
    );
  }

  /** The changes of one record (a page, say), newest first. */
  history(
    tableName: string,
    recordId: string,
    page: { page: number; per_page: number },
  ): Promise<Page<AuditEntry>> {
    return listAuditLogs(this.db, { table_name: tableName, record_id: recordId }, page, toEntry);
  }

  /** One entry of a record's history, or undefined when it is not about that record. */
  async entry(tableName: string, recordId: string, id: string): Promise<AuditEntry | undefined> {
    const row = await findAuditEntry(this.db, tableName, recordId, id);
    return row && toEntry(row);
  }
}
