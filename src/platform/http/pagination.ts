import Type, { type TSchema } from 'typebox';

/** `page` and `per_page` query parameters; spread into a querystring schema. */
export function pageQuery(perPage: { default: number; max: number }) {
  return {
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    per_page: Type.Integer({ minimum: 1, maximum: perPage.max, default: perPage.default }),
  };
}

/** The answer of a paginated list: one page of items and the total over all pages. */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    per_page: Type.Integer(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

interface Pageable<R> {
  limit(n: number): { offset(n: number): { execute(): Promise<R[]> } };
}

/**
 * Runs a page of `rows` (already filtered and ordered) and the `count` of the same filter side by side.
 */
export async function fetchPage<R, T>(
  rows: Pageable<R>,
  count: { executeTakeFirstOrThrow(): Promise<{ n: number }> },
  query: { page: number; per_page: number },
  map: (row: R) => T,
): Promise<Page<T>> {
  const [items, total] = await Promise.all([
    rows
      .limit(query.per_page)
      .offset((query.page - 1) * query.per_page)
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { items: items.map(map), total: total.n, page: query.page, per_page: query.per_page };
}
