import path from 'node:path';

/**
 * The house rules of the layout (README, "Layout"), checked over the source text:
 * - queries (Kysely's builders, `sql` templates, raw executes) only in repository files, `src/platform/db` and
 *   migrations;
 * - a module reaches another module only through its `index.ts`; the platform reaches no module;
 * - no import cycles between files, type-only imports included.
 * Paths are relative to the repository root, with forward slashes.
 */

export interface Violation {
  rule: 'query-outside-repository' | 'module-internals' | 'platform-imports-module' | 'import-cycle';
  file: string;
  line?: number;
  message: string;
}

const QUERY =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom|executeQuery)\s*\(|\bsql(<[^`]*>)?`|\bsql\.(raw|ref|table|id|lit|join)\(|CompiledQuery\.raw\(/;

function isSource(file: string): boolean {
  return file.startsWith('src/') && /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file);
}

export function mayQuery(file: string): boolean {
  return (
    /(^|\/)repository(\.ts|\/)/.test(file) ||
    file.startsWith('src/platform/db/') ||
    file.includes('/migrations/')
  );
}

function moduleOf(file: string): string | null {
  const match = /^src\/modules\/([^/]+)\//.exec(file);
  return match?.[1] ?? null;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The project files `file` imports (relative specifiers only), with the line of each import. */
export function importsOf(file: string, text: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (!specifier?.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const line = text.slice(0, match.index + match[0].length).split('\n').length;
    found.push({ target, line });
  }
  return found;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Strips comments, so prose about `sql` or `.selectFrom(` is not code. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export function checkArchitecture(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    if (!isSource(file)) continue;
    const body = code(text);
    if (!mayQuery(file)) {
      const match = QUERY.exec(body);
      if (match) {
        violations.push({
          rule: 'query-outside-repository',
          file,
          line: lineOf(body, match.index),
          message: `a query (${match[0].trim()}) outside a repository file: move it into the module's repository`,
        });
      }
    }
    const own = moduleOf(file);
    const edges: string[] = [];
    for (const { target, line } of importsOf(file, body)) {
      edges.push(target);
      const other = moduleOf(target);
      if (other && other !== own) {
        if (file.startsWith('src/platform/')) {
          violations.push({
            rule: 'platform-imports-module',
            file,
            line,
            message: `the platform imports the ${other} module (${target}): modules stand on the platform, not the reverse`,
          });
        } else if (own && target !== `src/modules/${other}/index.ts`) {
          violations.push({
            rule: 'module-internals',
            file,
            line,
            message: `imports ${target}: another module is reached only through src/modules/${other}/index.ts`,
          });
        }
      }
    }
    graph.set(file, edges);
  }
  for (const cycle of cyclesOf(graph)) {
    violations.push({
      rule: 'import-cycle',
      file: cycle[0] ?? '',
      message: `import cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    });
  }
  return violations;
}

/** The strongly connected components of more than one file (or a file importing itself), each as a cycle. */
function cyclesOf(graph: ReadonlyMap<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, indices.get(next) ?? 0));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = component.length === 1 && (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.reverse());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return components;
}
