import {
  CreateButton,
  Datagrid,
  EditButton,
  FilterButton,
  FunctionField,
  List,
  SearchInput,
  SelectInput,
  ShowButton,
  TextField,
  TopToolbar,
  useCanAccess,
  useTranslate,
} from 'react-admin';
import type { User } from '../../api/types.ts';
import { DateTimeField } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { fullName, RoleChip, roleChoices, StateChip } from './fields.tsx';
import { listFitWidth } from './layout.ts';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices()} />,
  <SelectInput
    key="is_active"
    source="is_active"
    label="magnetiq.users.filter_state"
    choices={[
      { id: 'true', name: 'magnetiq.users.state.active' },
      { id: 'false', name: 'magnetiq.users.state.inactive' },
    ]}
  />,
  <SelectInput
    key="deleted"
    source="deleted"
    label="magnetiq.users.filter_deleted"
    emptyText="magnetiq.users.deleted.exclude"
    choices={[
      { id: 'include', name: 'magnetiq.users.deleted.include' },
      { id: 'only', name: 'magnetiq.users.deleted.only' },
    ]}
  />,
];

function InviteButton() {
  const { canAccess } = useCanAccess({ resource: 'users', action: 'create' });
  return canAccess ? <CreateButton label="magnetiq.users.invite" /> : null;
}

function Actions() {
  return (
    <TopToolbar>
      <FilterButton />
      <InviteButton />
    </TopToolbar>
  );
}

export function UserList() {
  const translate = useTranslate();
  const { canAccess: canEdit } = useCanAccess({ resource: 'users', action: 'edit' });
  return (
    <List
      filters={filters}
      actions={<Actions />}
      empty={<Empty actions={<InviteButton />} />}
      perPage={25}
      sx={listFitWidth}
      sort={{ field: '', order: 'ASC' }}
    >
      <Datagrid rowClick={canEdit ? 'edit' : 'show'} bulkActionButtons={false}>
        <FunctionField<User> label="magnetiq.users.name" render={(user) => fullName(user)} sortable={false} />
        <TextField source="email" sortable={false} />
        <FunctionField<User>
          source="role"
          sortable={false}
          render={(user) => <RoleChip role={user.role} />}
        />
        <FunctionField<User>
          label="magnetiq.users.state_label"
          sortable={false}
          render={(user) => <StateChip user={user} />}
        />
        <FunctionField<User>
          source="two_factor_enabled"
          sortable={false}
          render={(user) => translate(user.two_factor_enabled ? 'magnetiq.users.on' : 'magnetiq.users.off')}
        />
        <DateTimeField source="last_login_at" sortable={false} />
        {canEdit ? <EditButton /> : <ShowButton />}
      </Datagrid>
    </List>
  );
}
