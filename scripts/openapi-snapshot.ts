// Writes the OpenAPI document the app publishes to test/openapi.snapshot.json (see test/openapi.test.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildTestApp } from '../test/helpers/app.ts';
import { openDatabase } from '../src/platform/db/connection.ts';

const database = await openDatabase({});
const app = await buildTestApp(database);
const doc: unknown = (await app.inject('/api/openapi.json')).json();
const file = path.join(import.meta.dirname, '..', 'test', 'openapi.snapshot.json');
writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
await app.close();
await database.close();
process.stdout.write(`wrote ${file}\n`);
