import { describe, expect, it } from 'vitest';
import { checkArchitecture } from '../scripts/architecture/rules.ts';

// The rules of the layout (scripts/architecture/rules.ts), shown failing on deliberately wrong examples; `npm run
// check` runs them over the real tree.
const check = (files: Record<string, string>) => checkArchitecture(new Map(Object.entries(files)));
const rules = (files: Record<string, string>) => check(files).map((v) => `${v.rule} ${v.file}`);

describe('the architecture check', () => {
  it('refuses a query outside a repository file, and only there', () => {
    const query = "export const all = (db) => db.selectFrom('pages').selectAll().execute();\n";
    const raw = "import { sql } from 'kysely';\nexport const n = (db) => sql`SELECT 1`.execute(db);\n";
    expect(
      rules({
        'src/modules/pages/service.ts': query,
        'src/modules/pages/routes.ts': raw,
        'src/modules/pages/repository.ts': query + raw,
        'src/modules/bookings/repository/consultant-lock.ts': query,
        'src/platform/db/connection.ts': raw,
        'src/modules/pages/pages.test.ts': query,
      }),
    ).toEqual([
      'query-outside-repository src/modules/pages/service.ts',
      'query-outside-repository src/modules/pages/routes.ts',
    ]);
  });

  it('does not mistake prose about queries for one', () => {
    expect(
      check({
        'src/modules/pages/service.ts': '// reads with .selectFrom( in the repository\n/* sql`x` */\n',
      }),
    ).toEqual([]);
  });

  it("refuses an import of another module's repository or internals, type-only ones included", () => {
    expect(
      rules({
        'src/modules/media/service.ts': "import { findPages } from '../pages/repository.ts';\n",
        'src/modules/media/routes.ts': "import type { PageView } from '../pages/schemas.ts';\n",
        'src/modules/media/index.ts': "export { pagesModule } from '../pages/index.ts';\n",
        'src/modules/pages/repository.ts': '',
        'src/modules/pages/schemas.ts': '',
        'src/modules/pages/index.ts': '',
      }),
    ).toEqual([
      'module-internals src/modules/media/service.ts',
      'module-internals src/modules/media/routes.ts',
    ]);
  });

  it('refuses a platform file that imports a module', () => {
    expect(
      rules({
        'src/platform/mail/mailer.ts': "import { bookingError } from '../../modules/bookings/index.ts';\n",
        'src/modules/bookings/index.ts': '',
      }),
    ).toEqual(['platform-imports-module src/platform/mail/mailer.ts']);
  });

  it('refuses import cycles, type-only ones included', () => {
    const violations = check({
      'src/modules/bookings/routes.ts': "import { sync } from './calendar-sync.ts';\n",
      'src/modules/bookings/calendar-sync.ts': "import type { Deps } from './routes.ts';\n",
      'src/modules/bookings/ics.ts': "import { sync } from './calendar-sync.ts';\n",
    });
    expect(violations.map((v) => v.rule)).toEqual(['import-cycle']);
    expect(violations[0]?.message).toContain('routes.ts -> src/modules/bookings/calendar-sync.ts');
  });
});
