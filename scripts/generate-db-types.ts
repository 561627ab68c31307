// Regenerates src/platform/db/schema.ts from the migrations, on a throw-away in-memory PGlite.
import { writeFileSync } from 'node:fs';
import { openDatabase } from '../src/platform/db/connection.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { generateDbTypes } from '../src/platform/db/typegen.ts';

const target = new URL('../src/platform/db/schema.ts', import.meta.url);
const database = await openDatabase({});
try {
  await migrate(database);
  writeFileSync(target, await generateDbTypes(database));
  console.log(`wrote ${target.pathname}`);
} finally {
  await database.close();
}
