import type { ValidateFunction } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { createAjv } from './validation.ts';

export interface ResponseViolation {
  route: string;
  status: number;
  errors: string;
}

/**
 * For tests: every JSON answer is checked against the response schema its route declares for that status, so
 * a schema that lies (a field of another type, a missing required one) fails the test that saw it. Violations
 * are collected in `violations` (the test fixture fails on them) and never change the answer.
 */
export function checkResponses(app: FastifyInstance, violations: ResponseViolation[]): void {
  const ajv = createAjv({ coerceTypes: false, useDefaults: false });
  let sharedAdded = false;
  const compiled = new Map<object, ValidateFunction>();
  app.addHook('onSend', async (request, reply, payload) => {
    const responses = request.routeOptions.schema?.response as Record<string, object> | undefined;
    const type = reply.getHeader('content-type');
    if (!responses || typeof payload !== 'string' || !String(type).includes('json')) return payload;
    const status = reply.statusCode;
    const schema =
      responses[String(status)] ?? responses[`${String(status).charAt(0)}xx`] ?? responses['default'];
    if (!schema) return payload;
    if (!sharedAdded) {
      for (const shared of Object.values(app.getSchemas())) ajv.addSchema(shared as object);
      sharedAdded = true;
    }
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    if (!validate(JSON.parse(payload))) {
      violations.push({
        route: `${request.method} ${request.routeOptions.url ?? request.url}`,
        status,
        errors: ajv.errorsText(validate.errors),
      });
    }
    return payload;
  });
}
