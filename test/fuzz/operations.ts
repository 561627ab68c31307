import { isSchema, resolve, type JsonSchema } from './json-schema.ts';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the OpenAPI document, as the fuzz test needs it. */
export interface Operation {
  method: string;
  /** The document's path, with {params}. */
  path: string;
  /** "METHOD /path": how failures and seeds name it. */
  key: string;
  /** No sign-in needed: neither x-permission nor a non-empty security requirement. */
  isPublic: boolean;
  /** null: any signed-in user; a string: that permission; undefined: public. */
  permission: string | null | undefined;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  jsonBody: JsonSchema | undefined;
  bodyRequired: boolean;
  /** Takes multipart/form-data (file uploads). */
  multipart: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * Every operation of the document. Public operations carry no x-permission and either no `security` or an empty
 * one (`security: []`); both are understood.
 */
export function operationsOf(doc: unknown): Operation[] {
  if (!isSchema(doc) || !isSchema(doc['paths'])) throw new Error('fuzz: the OpenAPI document has no paths');
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc['paths'])) {
    if (!isSchema(item)) continue;
    const shared: unknown[] = Array.isArray(item['parameters']) ? item['parameters'] : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isSchema(op)) continue;
      const hasPermission = 'x-permission' in op;
      const permission = hasPermission ? (op['x-permission'] as string | null) : undefined;
      const security = op['security'];
      const needsSession = Array.isArray(security) && security.length > 0;
      const own: unknown[] = Array.isArray(op['parameters']) ? op['parameters'] : [];
      const parameters = [...shared, ...own]
        .filter(isSchema)
        .map((p) => resolve(p, doc))
        .filter((p) => p['in'] === 'path' || p['in'] === 'query' || p['in'] === 'header')
        .map((p): Parameter => ({
          name: String(p['name']),
          in: p['in'] as Parameter['in'],
          required: p['required'] === true,
          schema: isSchema(p['schema']) ? p['schema'] : {},
        }));
      // A path parameter the document forgot is still one.
      for (const match of path.matchAll(/\{([^}]+)\}/g)) {
        const name = match[1] ?? '';
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
          parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
        }
      }
      const body = isSchema(op['requestBody']) ? resolve(op['requestBody'], doc) : undefined;
      const content = body && isSchema(body['content']) ? body['content'] : {};
      const json = Object.entries(content).find(([type]) => /^application\/(.+\+)?json/.test(type))?.[1];
      operations.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        isPublic: !hasPermission && !needsSession,
        permission,
        parameters,
        jsonBody: isSchema(json) && isSchema(json['schema']) ? json['schema'] : undefined,
        bodyRequired: body?.['required'] === true,
        // Upload routes describe their form for the document (config.documentedBody).
        multipart: 'multipart/form-data' in content,
      });
    }
  }
  return operations;
}

/** The literal path segment before `{name}` (`/api/v1/pages/{id}` -> "pages"): which pool of values fits. */
export function resourceOf(path: string, name: string): string {
  const segments = path.split('/').filter(Boolean);
  const index = segments.indexOf(`{${name}}`);
  for (let i = index - 1; i >= 0; i--) {
    const segment = segments[i] ?? '';
    if (!segment.startsWith('{')) return segment;
  }
  return '';
}
