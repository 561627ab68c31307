// The pages area: list (with the trash), editor, tree. Its API: /api/v1/pages (listPages, createPage, getPage,
// updatePage with the version, deletePage into the trash), sorted by last change, creation or slug.
import DescriptionIcon from '@mui/icons-material/Description';
import { Route } from 'react-router-dom';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import type { PanelModule } from '../types.ts';
import { pagesMessages } from './messages.ts';
import { toCreateBody, toUpdateBody } from './model.ts';
import { lazyScreen } from '../lazy.tsx';

const PageCreate = lazyScreen(() => import('./PageScreens.tsx'), 'PageCreate');
const PageEdit = lazyScreen(() => import('./PageScreens.tsx'), 'PageEdit');
const PageList = lazyScreen(() => import('./PageList.tsx'), 'PageList');
const PageTree = lazyScreen(() => import('./PageTree.tsx'), 'PageTree');

defineResourceApi('pages', {
  path: '/pages',
  sorts: { updated_at: 'updated_at', created_at: 'created_at', slug: 'slug', sort_order: 'sort_order' },
  filters: (filter) => ({
    q: typeof filter['q'] === 'string' ? filter['q'].trim() : undefined,
    status: filter['status'] as string | undefined,
    deleted: filter['deleted'] as string | undefined,
    parent_id: filter['parent_id'] as string | undefined,
  }),
  toCreate: toCreateBody,
  toUpdate: toUpdateBody,
  versionedDelete: true,
});

export const messages = pagesMessages;

export const areas: PanelModule['areas'] = [
  {
    name: 'pages',
    group: 'content',
    order: 10,
    icon: DescriptionIcon,
    list: PageList,
    edit: PageEdit,
    create: PageCreate,
    routes: [<Route key="tree" path="tree" element={<PageTree />} />],
  },
];
