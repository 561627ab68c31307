// `npm run check:architecture`: the layout's rules (scripts/architecture/rules.ts) over every tracked source file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkArchitecture } from './architecture/rules.ts';

const root = path.resolve(import.meta.dirname, '..');
const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src'], {
  cwd: root,
  encoding: 'utf8',
});
const files = new Map<string, string>();
for (const file of listed.split('\n').filter((f) => /\.tsx?$/.test(f))) {
  try {
    files.set(file, readFileSync(path.join(root, file), 'utf8'));
  } catch {
    // deleted in the working tree
  }
}
const violations = checkArchitecture(files);
for (const v of violations) {
  process.stderr.write(`${v.file}${v.line ? `:${String(v.line)}` : ''}  ${v.rule}  ${v.message}\n`);
}
if (violations.length > 0) {
  process.stderr.write(`\n${String(violations.length)} architecture violations\n`);
  process.exit(1);
}
process.stdout.write(`architecture: ${String(files.size)} files, no violation\n`);
