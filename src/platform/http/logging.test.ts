import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/helpers/app.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { buildApp } from '../../app.ts';
import type { Database } from '../db/connection.ts';

interface LogLine {
  level: number;
  msg: string;
  req?: { url: string };
  res?: { statusCode: number };
}

const lines: LogLine[] = [];
let database: Database;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  // As production logs: at info.
  app = await buildApp({ config: testConfig(), database, logger: { level: 'info', stream } });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('request logging at info (production)', () => {
  it('writes nothing for health polls and successful requests, one line for a refusal', async () => {
    lines.length = 0;
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/public/navigation' })).statusCode).toBe(200);
    expect(lines).toEqual([]);

    expect((await app.inject({ url: '/api/v1/pages' })).statusCode).toBe(401);
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      level: 30,
      req: { url: '/api/v1/pages' },
      res: { statusCode: 401 },
    });
  });
});
