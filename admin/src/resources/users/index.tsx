// Users and permissions: the list (search, role, state, trash), invitations, a user's account, state and
// permission grants. Own profile: resources/profile.
import PeopleIcon from '@mui/icons-material/People';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import type { PanelArea } from '../types.ts';
import { lazyScreen } from '../lazy.tsx';

export { messages } from './messages.ts';

const UserList = lazyScreen(() => import('./UserList.tsx'), 'UserList');
const UserCreate = lazyScreen(() => import('./UserCreate.tsx'), 'UserCreate');
const UserEdit = lazyScreen(() => import('./UserEdit.tsx'), 'UserEdit');
const UserShow = lazyScreen(() => import('./UserEdit.tsx'), 'UserShow');

const pick = (data: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((key) => data[key] !== undefined).map((key) => [key, data[key]]));

const ACCOUNT = ['email', 'first_name', 'last_name', 'role', 'language', 'timezone'] as const;

defineResourceApi('users', {
  path: '/users',
  filters: (filter) => ({
    q: typeof filter['q'] === 'string' ? filter['q'] : undefined,
    role: filter['role'] as string | undefined,
    is_active: filter['is_active'] as string | undefined,
    deleted: filter['deleted'] as string | undefined,
  }),
  // No password: the API mails an invitation to choose one.
  toCreate: (data) => pick(data, ACCOUNT),
  toUpdate: (changed) => pick(changed, ACCOUNT),
  versionedDelete: true,
});

export const areas: PanelArea[] = [
  {
    name: 'users',
    group: 'people',
    order: 10,
    icon: PeopleIcon,
    list: UserList,
    create: UserCreate,
    edit: UserEdit,
    show: UserShow,
  },
];
