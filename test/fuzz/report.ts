import type { FuzzInput } from './inputs.ts';

export interface Failure {
  /** "METHOD /path" of the operation. */
  operation: string;
  caller: string;
  /** What is wrong: a 5xx, a 2xx the permission forbids, an answer that breaks its schema, a crash. */
  problem: string;
  status: number;
  /** The answer's error code (or the start of its body). */
  code: string;
  /** What the server threw, for a 5xx; the schema's complaint; else empty. */
  cause: string;
  /** The answer's body, cut. */
  body: string;
  input: FuzzInput;
}

const PREVIEW = 300;
/** Lines of the per-operation list before it is cut. */
const MAX_OPERATION_LINES = 200;

/** Long text cut for reading, its length said. */
export function preview(text: string | Buffer | undefined, limit = PREVIEW): string {
  if (text === undefined) return '(none)';
  const s = typeof text === 'string' ? text : text.toString('latin1');
  const shown = JSON.stringify(s.length > limit ? s.slice(0, limit) : s);
  return s.length > limit ? `${shown}… (${s.length} characters)` : shown;
}

/** A message without what changes from request to request (ids, quoted input), so equal causes group. */
export function normalized(message: string): string {
  return message
    .replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replaceAll(/'[^']{20,}'/g, "'…'")
    .slice(0, 200);
}

/** The kind of input without the parameter it was aimed at: "query: NUL (q)" -> "query: NUL". */
function kindOf(failure: Failure): { kind: string; target: string | undefined } {
  const match = /^(.*) \(([^)]+)\)$/.exec(failure.input.kind);
  return match ? { kind: match[1] ?? '', target: match[2] } : { kind: failure.input.kind, target: undefined };
}

function what(f: Failure): string {
  return `${f.problem}: ${f.status} ${f.code}${f.cause ? ` <- ${f.cause}` : ''}`;
}

export function describeInput(input: FuzzInput): string {
  const headers = Object.entries(input.headers)
    .map(([k, v]) => `${k}: ${preview(v, 120)}`)
    .join(', ');
  return [
    `${input.method} ${preview(input.url)}`,
    headers ? `headers ${headers}` : 'no extra headers',
    `body ${preview(input.payload)}`,
  ].join('\n        ');
}

interface Group {
  failures: Failure[];
  callers: Set<string>;
  targets: Set<string>;
  kinds: Set<string>;
  operations: Set<string>;
}

function groupBy(failures: Failure[], key: (f: Failure) => string): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const f of failures) {
    const k = key(f);
    const group = groups.get(k) ?? {
      failures: [],
      callers: new Set(),
      targets: new Set(),
      kinds: new Set(),
      operations: new Set(),
    };
    const { kind, target } = kindOf(f);
    group.failures.push(f);
    group.callers.add(f.caller);
    group.kinds.add(kind);
    group.operations.add(f.operation);
    if (target) group.targets.add(target);
    groups.set(k, group);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The failure report: each distinct problem with the operations it hit, then per operation each distinct
 * failure (kind of input, answer, cause; who and which parameters), then the first request of each in full.
 */
/** Most severe first: server errors, then permission holes, then broken contracts. */
function severity(problem: string): number {
  if (problem.startsWith('5xx')) return 0;
  if (problem.startsWith('2xx')) return 1;
  if (problem.startsWith('the request threw')) return 2;
  return 3;
}

function bySeverity<T>(groups: Map<string, T>, problemOf: (key: string) => string): [string, T][] {
  return [...groups.entries()].sort(
    ([a], [b]) => severity(problemOf(a)) - severity(problemOf(b)) || a.localeCompare(b),
  );
}

function listed(names: Set<string>, limit = 15): string {
  const all = [...names];
  return all.length > limit
    ? `${all.slice(0, limit).join(', ')} … and ${all.length - limit} more`
    : all.join(', ');
}

function inFull(f: Failure): string[] {
  return [
    `  ${f.operation} [${f.input.kind}] as ${f.caller}: ${what(f)}`,
    `        ${describeInput(f.input)}`,
    `        answer ${f.body}`,
  ];
}

/**
 * The failure report: each distinct problem with the operations it hit (most severe first), then per operation
 * each distinct failure (kind of input, answer, cause; who and which parameters), then requests in full: the
 * first of each distinct problem, then the first of each failure per operation, up to `full`.
 */
export function report(failures: Failure[], full: number): string {
  const problems = bySeverity(groupBy(failures, what), (key) => key);
  const lines = [
    `${failures.length} failing requests.`,
    '',
    'Distinct problems (and the operations they hit):',
  ];
  for (const [problem, g] of problems) {
    lines.push(
      `  ${problem}`,
      `    ${g.failures.length} requests, ${g.operations.size} operations, inputs: ${[...g.kinds].join('; ')}`,
      `    ${listed(g.operations)}`,
    );
  }

  lines.push('', 'By operation (kind of input: answer <- cause; callers; parameters aimed at):');
  // Most severe first, then by operation: the server errors are never cut off by a flood of lesser ones.
  const perOperation = bySeverity(
    groupBy(
      failures,
      (f) => `${String(severity(f.problem))}\u0000${f.operation}\u0000${kindOf(f).kind}\u0000${what(f)}`,
    ),
    (key) => key.split('\u0000')[3] ?? '',
  );
  let current = '';
  let shown = 0;
  for (const [key, g] of perOperation) {
    if (shown >= MAX_OPERATION_LINES) {
      lines.push(`  … ${perOperation.length - shown} more (fix the above first)`);
      break;
    }
    const [, operation = '', kind = '', problem = ''] = key.split('\u0000');
    if (operation !== current) lines.push(`  ${operation}`);
    current = operation;
    const targets = g.targets.size > 0 ? `; ${[...g.targets].join(', ')}` : '';
    lines.push(`    [${kind}] ${problem} (×${g.failures.length}; ${[...g.callers].join(', ')}${targets})`);
    shown += 1;
  }

  lines.push('', `Requests in full (at most ${full}):`);
  const written = new Set<Failure>();
  const firsts = [...problems, ...perOperation].map(([, g]) => g.failures[0]);
  for (const f of firsts) {
    if (!f || written.has(f) || written.size >= full) continue;
    written.add(f);
    lines.push(...inFull(f));
  }
  return lines.join('\n');
}
