import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VnuMessage {
  /** The name the document was given. */
  document: string;
  line?: number;
  message: string;
  extract?: string;
}

/**
 * The W3C Nu Html Checker (vnu-jar, on Java) over documents given by name: the errors it finds, none when the
 * HTML is valid. One Java start for all of them (a start costs seconds).
 */
export async function checkHtml(documents: Record<string, string>): Promise<VnuMessage[]> {
  const jar = String(createRequire(import.meta.url)('vnu-jar'));
  const dir = mkdtempSync(path.join(tmpdir(), 'vnu-'));
  const names = new Map<string, string>();
  try {
    Object.entries(documents).forEach(([name, html], index) => {
      const file = path.join(dir, `${String(index)}.html`);
      writeFileSync(file, html);
      names.set(`file:${file}`, name);
    });
    const { stderr } = await run(
      'java',
      [
        '-jar',
        jar,
        '--errors-only',
        '--format',
        'json',
        '--exit-zero-always',
        ...[...names.keys()].map((u) => u.slice(5)),
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const report = JSON.parse(stderr || '{"messages":[]}') as {
      messages: { url?: string; type: string; message: string; lastLine?: number; extract?: string }[];
    };
    return report.messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => ({
        document: names.get(m.url ?? '') ?? m.url ?? '?',
        line: m.lastLine,
        message: m.message,
        extract: m.extract,
      }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
