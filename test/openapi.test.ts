import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from './helpers/app.ts';
import { createTestDatabase } from './helpers/db.ts';
import type { Database } from '../src/platform/db/connection.ts';

// The API's contract as published. A change of a route's schema shows up here: when it is meant, review the
// difference and write the new document with `npm run openapi:snapshot`.
const SNAPSHOT = path.join(import.meta.dirname, 'openapi.snapshot.json');

let database: Database;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the OpenAPI document', () => {
  it('is the reviewed one in test/openapi.snapshot.json', async () => {
    const doc: unknown = (await app.inject('/api/openapi.json')).json();
    const expected: unknown = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
    expect(doc).toEqual(expected);
  });
});
