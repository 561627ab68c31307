// What the users screens share: role and state chips, and the account inputs of the invitation and the edit form.
import { Chip, Stack } from '@mui/material';
import {
  AutocompleteInput,
  email,
  maxLength,
  required,
  SelectInput,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { User } from '../../api/types.ts';
import { timeZoneChoices } from '../profile/timeZones.ts';
import { ToneChip } from '../operations/StatusChip.tsx';
import { ROLES, roleRank, useMe, type Role } from './me.ts';

/** The roles as choices (names are message keys; react-admin translates them). */
export function roleChoices(upTo?: Role, current?: Role): { id: Role; name: string; disabled?: boolean }[] {
  return ROLES.flatMap((role) => {
    const allowed = upTo === undefined || roleRank(role) <= roleRank(upTo);
    // A role above one's own is shown (it is the record's) but cannot be chosen.
    if (!allowed && role !== current) return [];
    return [{ id: role, name: `magnetiq.users.roles.${role}`, ...(allowed ? {} : { disabled: true }) }];
  });
}

export const languageChoices = [
  { id: 'en', name: 'magnetiq.language.en' },
  { id: 'de', name: 'magnetiq.language.de' },
];

export function fullName(user: Pick<User, 'first_name' | 'last_name' | 'email'>): string {
  return `${user.first_name} ${user.last_name}`.trim() || user.email;
}

export function RoleChip({ role }: { role: Role }) {
  const translate = useTranslate();
  const strong = role === 'admin' || role === 'super_admin';
  return (
    <Chip
      size="small"
      label={translate(`magnetiq.users.roles.${role}`)}
      color={strong ? 'primary' : 'default'}
      variant={strong ? 'filled' : 'outlined'}
    />
  );
}

type State = 'deleted' | 'locked' | 'inactive' | 'active';

export function userState(user: User, now = Date.now()): State {
  if (user.deleted_at) return 'deleted';
  if (user.locked_until && new Date(user.locked_until).getTime() > now) return 'locked';
  return user.is_active ? 'active' : 'inactive';
}

const STATE_COLOURS = {
  deleted: 'error',
  locked: 'warning',
  inactive: 'default',
  active: 'success',
} as const;

export function StateChip({ user }: { user: User }) {
  const translate = useTranslate();
  const state = userState(user);
  return <ToneChip tone={STATE_COLOURS[state]} label={translate(`magnetiq.users.state.${state}`)} />;
}

/** The role and state of the record in context, side by side. */
export function UserChips() {
  const user = useRecordContext<User>();
  const translate = useTranslate();
  if (!user) return null;
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
      <RoleChip role={user.role} />
      <StateChip user={user} />
      <Chip
        size="small"
        variant="outlined"
        label={translate(
          user.two_factor_enabled ? 'magnetiq.users.two_factor_on' : 'magnetiq.users.two_factor_off',
        )}
      />
    </Stack>
  );
}

/** E-mail, names, role (up to the signed-in user's own), language and time zone. */
export function AccountInputs() {
  const me = useMe();
  const record = useRecordContext<User>();
  return (
    <>
      <TextInput source="email" type="email" validate={[required(), email(), maxLength(255)]} fullWidth />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ width: '100%' }}>
        <TextInput source="first_name" validate={[required(), maxLength(100)]} fullWidth />
        <TextInput source="last_name" validate={[required(), maxLength(100)]} fullWidth />
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ width: '100%' }}>
        <SelectInput
          source="role"
          choices={roleChoices(me?.user.role, record?.role)}
          validate={required()}
          helperText="magnetiq.users.role_help"
          fullWidth
        />
        <SelectInput source="language" choices={languageChoices} fullWidth />
        <AutocompleteInput
          source="timezone"
          choices={timeZoneChoices(record?.timezone)}
          translateChoice={false}
          fullWidth
        />
      </Stack>
    </>
  );
}
