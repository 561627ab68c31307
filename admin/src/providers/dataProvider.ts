// One data provider for every resource of our API: lists answer {items, total, page, per_page}; updates are
// PATCHes of the changed fields with the version the form was loaded at (a stale one answers 409, which the
// panel shows, never overwrites); errors keep the API's code and its message in the user's language, and a
// validation error's fields land on the form's inputs.
import { HttpError, type DataProvider, type Identifier, type RaRecord } from 'react-admin';
import { api, ApiError, type Query } from '../api/http.ts';

export interface ResourceApi {
  /** The collection's path under /api/v1, e.g. "/pages". */
  path: string;
  /** react-admin sort field → the API's sort key; a field not listed is not sortable (the API's order holds). */
  sorts?: Record<string, string>;
  /** The list's filter values → query parameters (default: passed as they are). */
  filters?: (filter: Record<string, unknown>) => Query;
  /** The body of a create (default: the form's values). */
  toCreate?: (data: Record<string, unknown>) => unknown;
  /** The fields a PATCH may carry (default: every changed field). */
  toUpdate?: (changed: Record<string, unknown>, data: Record<string, unknown>) => Record<string, unknown>;
  /** Delete sends the record's version (resources whose DELETE takes ?version=). */
  versionedDelete?: boolean;
}

const resources = new Map<string, ResourceApi>();

/** Each resource tells the provider how its API looks (called from the resource's own module). */
export function defineResourceApi(name: string, definition: ResourceApi): void {
  resources.set(name, definition);
}

function resourceApi(name: string): ResourceApi {
  const found = resources.get(name);
  if (!found) throw new Error(`the panel has no API definition for the resource "${name}"`);
  return found;
}

interface ListAnswer<T> {
  items: T[];
  total: number;
}

/** The top-level fields whose value differs from what the form was loaded with. */
export function changedFields(
  data: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'id' || key === 'version') continue;
    if (!previous || JSON.stringify(value) !== JSON.stringify(previous[key])) changed[key] = value;
  }
  return changed;
}

/**
 * An API error as react-admin wants it: the message (already translated by the API) and, for a validation
 * error, `body.errors` keyed by the form's field path ("body.title.en" → "title.en").
 */
export function toHttpError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const errors: Record<string, string> = {};
  for (const detail of error.details) {
    const field = detail.field?.replace(/^body\.?/, '');
    if (field) errors[field] = detail.message;
  }
  return new HttpError(error.message, error.status, {
    code: error.code,
    details: error.details,
    ...(Object.keys(errors).length > 0
      ? { errors: { ...errors, root: { serverError: error.message } } }
      : {}),
  });
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toHttpError(error);
  }
}

const itemPath = (definition: ResourceApi, id: Identifier) =>
  `${definition.path}/${encodeURIComponent(String(id))}`;

export const dataProvider: DataProvider = {
  async getList(resource, params) {
    const definition = resourceApi(resource);
    const { page = 1, perPage = 25 } = params.pagination ?? {};
    const { field, order } = params.sort ?? { field: '', order: 'ASC' };
    const key = definition.sorts?.[field];
    const filter = (params.filter ?? {}) as Record<string, unknown>;
    const query: Query = {
      ...(definition.filters ? definition.filters(filter) : (filter as Query)),
      page,
      per_page: perPage,
      ...(key ? { sort: order === 'DESC' ? `-${key}` : key } : {}),
    };
    const answer = await call(() =>
      api<ListAnswer<RaRecord>>('GET', definition.path, { query, signal: params.signal }),
    );
    return { data: answer.items as never[], total: answer.total };
  },

  async getOne(resource, params) {
    const definition = resourceApi(resource);
    const data = await call(() =>
      api<RaRecord>('GET', itemPath(definition, params.id), { signal: params.signal }),
    );
    return { data: data as never };
  },

  async getMany(resource, params) {
    const definition = resourceApi(resource);
    const data = await call(() =>
      Promise.all(
        params.ids.map((id) => api<RaRecord>('GET', itemPath(definition, id), { signal: params.signal })),
      ),
    );
    return { data: data as never[] };
  },

  async getManyReference(resource, params) {
    return dataProvider.getList(resource, {
      ...params,
      filter: { ...params.filter, [params.target]: params.id },
    });
  },

  async create(resource, params) {
    const definition = resourceApi(resource);
    const input = params.data as Record<string, unknown>;
    const data = await call(() =>
      api<RaRecord>('POST', definition.path, {
        body: definition.toCreate ? definition.toCreate(input) : input,
      }),
    );
    return { data: data as never };
  },

  async update(resource, params) {
    const definition = resourceApi(resource);
    const input = params.data as Record<string, unknown>;
    const previous = params.previousData as Record<string, unknown> | undefined;
    const changed = changedFields(input, previous);
    const body = {
      ...(definition.toUpdate ? definition.toUpdate(changed, input) : changed),
      // The version the form was loaded at: the server refuses the change when the record moved on since.
      version: previous?.['version'] ?? input['version'],
    };
    const id = params.id as Identifier;
    const data = await call(() => api<RaRecord>('PATCH', itemPath(definition, id), { body }));
    return { data: data as never };
  },

  async updateMany(resource, params) {
    const ids: Identifier[] = [];
    for (const id of params.ids) {
      const { data: current } = await dataProvider.getOne<RaRecord>(resource, { id });
      await dataProvider.update(resource, { id, data: params.data as object, previousData: current });
      ids.push(id);
    }
    return { data: ids };
  },

  async delete(resource, params) {
    const definition = resourceApi(resource);
    const version = (params.previousData as { version?: number } | undefined)?.version;
    await call(() =>
      api<unknown>('DELETE', itemPath(definition, params.id), {
        ...(definition.versionedDelete && version !== undefined ? { query: { version } } : {}),
      }),
    );
    return { data: (params.previousData ?? { id: params.id }) as never };
  },

  async deleteMany(resource, params) {
    for (const id of params.ids) await dataProvider.delete(resource, { id });
    return { data: params.ids };
  },
};
