// The panel's own messages: a module per area, each exporting { en, de } with the same keys (a test compares
// them), merged here over react-admin's messages. Keys follow react-admin's convention: resources.<name>.* for
// a resource's name and fields, and magnetiq.* for everything else.
export type Messages = { [key: string]: string | Messages };
export interface Bilingual {
  en: Messages;
  de: Messages;
}

function isTree(value: unknown): value is Messages {
  return typeof value === 'object' && value !== null;
}

/** Deep merge: later trees add to and override earlier ones. */
export function mergeMessages(...trees: Messages[]): Messages {
  const out: Messages = {};
  for (const tree of trees) {
    for (const [key, value] of Object.entries(tree)) {
      const existing = out[key];
      out[key] = isTree(existing) && isTree(value) ? mergeMessages(existing, value) : value;
    }
  }
  return out;
}
