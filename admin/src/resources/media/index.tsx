// The media library (issue 13, Build 4): a grid of thumbnails with filters and drag-and-drop upload, and an item's
// screen with bilingual texts, folder, tags, where-used and a delete that names where the item is used.
import PermMediaIcon from '@mui/icons-material/PermMedia';
import type { Query } from '../../api/http.ts';
import type { Body, QueryOf } from '../../api/types.ts';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import type { PanelArea } from '../types.ts';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const MediaEdit = lazyScreen(() => import('./MediaEdit.tsx'), 'MediaEdit');
const MediaShow = lazyScreen(() => import('./MediaEdit.tsx'), 'MediaShow');
const MediaList = lazyScreen(() => import('./MediaList.tsx'), 'MediaList');

type Translated = { en?: string | null; de?: string | null } | null | undefined;

/** A bilingual text as the API takes it: empty languages left out, nothing at all as null. */
export function translatedOrNull(value: Translated): { en?: string; de?: string } | null {
  if (!value) return null;
  const out: { en?: string; de?: string } = {};
  if (value.en?.trim()) out.en = value.en;
  if (value.de?.trim()) out.de = value.de;
  return out.en === undefined && out.de === undefined ? null : out;
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

defineResourceApi('media', {
  path: '/media',
  filters: (filter): Query => {
    const query: QueryOf<'listMedia'> = {
      q: text(filter['q']),
      type: filter['type'] as QueryOf<'listMedia'>['type'],
      folder: text(filter['folder']),
      tag: text(filter['tag']),
      deleted: filter['trash'] ? 'only' : undefined,
    };
    return query;
  },
  toUpdate: (changed) => {
    const body: Partial<Body<'updateMedia'>> = {};
    for (const field of ['title', 'alt_text', 'caption'] as const) {
      if (field in changed) body[field] = translatedOrNull(changed[field] as Translated);
    }
    if ('folder' in changed) body.folder = text(changed['folder']) ?? null;
    if ('tags' in changed) body.tags = (changed['tags'] as string[] | null) ?? [];
    if ('original_filename' in changed && text(changed['original_filename'])) {
      body.original_filename = text(changed['original_filename']);
    }
    return body;
  },
  versionedDelete: true,
});

export const areas: PanelArea[] = [
  {
    name: 'media',
    group: 'content',
    order: 20,
    icon: PermMediaIcon,
    list: MediaList,
    edit: MediaEdit,
    show: MediaShow,
  },
];
