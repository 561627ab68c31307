// One user: the account (names, e-mail, role, language, time zone), its state (activate, deactivate, 2FA reset,
// delete, restore) and the permissions granted beyond the role.
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircleOutlined';
import LockResetIcon from '@mui/icons-material/LockReset';
import RestoreIcon from '@mui/icons-material/RestoreFromTrash';
import { Alert, Box, Divider, Stack, Tab, Tabs, Typography } from '@mui/material';
import { useState } from 'react';
import {
  DeleteWithConfirmButton,
  Edit,
  SaveButton,
  Show,
  SimpleForm,
  Toolbar,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { User } from '../../api/types.ts';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { ConfirmAction } from '../../components/ConfirmAction.tsx';
import { Fact, FactList } from '../../components/Facts.tsx';
import { AccountInputs, fullName, UserChips } from './fields.tsx';
import { Grants } from './Grants.tsx';
import { fitWidth } from './layout.ts';
// Not useCanAccess: inside <Edit>, its query (keyed like the edit check's) is cancelled when the page shows its
// loading state, and the page then waits for it forever. The same rule as the menu's, read from /auth/me.
import { useHolds, useMe } from './me.ts';

function UserTitle() {
  const user = useRecordContext<User>();
  const translate = useTranslate();
  return <>{translate('magnetiq.users.edit_title', { name: user ? fullName(user) : '' })}</>;
}

function UserActions() {
  const user = useRecordContext<User>();
  const me = useMe();
  const canManage = useHolds('users.manage');
  if (!user || !canManage) return null;
  const self = me?.user.id === user.id;
  const name = fullName(user);
  const args = { name };
  if (user.deleted_at) {
    return (
      <TopToolbar>
        <ConfirmAction
          label="magnetiq.users.restore"
          method="POST"
          path={`/users/${user.id}/restore`}
          success="magnetiq.users.restored"
          messageArgs={args}
          icon={<RestoreIcon />}
        />
      </TopToolbar>
    );
  }
  const locked = user.locked_until !== null && new Date(user.locked_until).getTime() > Date.now();
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      {!self && (!user.is_active || locked) && (
        <ConfirmAction
          label={user.is_active ? 'magnetiq.users.unlock' : 'magnetiq.users.activate'}
          method="POST"
          path={`/users/${user.id}/activate`}
          success="magnetiq.users.activated"
          messageArgs={args}
          icon={<CheckCircleIcon />}
        />
      )}
      {!self && user.is_active && (
        <ConfirmAction
          label="magnetiq.users.deactivate"
          method="POST"
          path={`/users/${user.id}/deactivate`}
          confirm={{ title: 'magnetiq.users.deactivate_title', content: 'magnetiq.users.deactivate_content' }}
          success="magnetiq.users.deactivated"
          messageArgs={args}
          icon={<BlockIcon />}
          color="error"
        />
      )}
      {!self && user.two_factor_enabled && (
        <ConfirmAction
          label="magnetiq.users.reset_2fa"
          method="DELETE"
          path={`/users/${user.id}/2fa`}
          confirm={{ title: 'magnetiq.users.reset_2fa_title', content: 'magnetiq.users.reset_2fa_content' }}
          success="magnetiq.users.reset_2fa_done"
          messageArgs={args}
          icon={<LockResetIcon />}
          color="error"
        />
      )}
      {!self && (
        <DeleteWithConfirmButton
          mutationMode="pessimistic"
          confirmTitle="magnetiq.users.delete_title"
          confirmContent="magnetiq.users.delete_content"
          titleTranslateOptions={args}
          contentTranslateOptions={args}
          successMessage="magnetiq.users.deleted_done"
          redirect="list"
        />
      )}
    </TopToolbar>
  );
}

/** When the account was made, last used, its password set, locked until (and, deleted, what it was). */
function Facts({ user, account }: { user: User; account: boolean }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const dates: [string, string | null][] = [
    ['created_at', user.created_at],
    ['last_login_at', user.last_login_at],
    ['password_changed_at', user.password_changed_at],
    ['locked_until', user.locked_until],
  ];
  return (
    <FactList>
      {account && (
        <>
          <Fact label={translate('resources.users.fields.email')}>{user.email}</Fact>
          <Fact label={translate('resources.users.fields.language')}>
            {translate(`magnetiq.language.${user.language}`)}
          </Fact>
          <Fact label={translate('resources.users.fields.timezone')}>{user.timezone}</Fact>
          {user.deleted_at && (
            <Fact label={translate('resources.users.fields.deleted_at')}>{format(user.deleted_at)}</Fact>
          )}
        </>
      )}
      {dates
        .filter(([key, value]) => value !== null || key !== 'locked_until')
        .map(([key, value]) => (
          <Fact key={key} label={translate(`resources.users.fields.${key}`)}>
            {value ? <time dateTime={value}>{format(value)}</time> : translate('magnetiq.users.never')}
          </Fact>
        ))}
    </FactList>
  );
}

function AccountToolbar() {
  return (
    <Toolbar>
      <SaveButton />
    </Toolbar>
  );
}

/** The user's account and permissions; `editable` (the edit screen, for users.manage): with the account form. */
function UserTabs({ editable }: { editable: boolean }) {
  const user = useRecordContext<User>();
  const translate = useTranslate();
  const me = useMe();
  const canManage = useHolds('users.manage') && editable;
  const [tab, setTab] = useState<'account' | 'permissions'>('account');
  if (!user) return null;
  const self = me?.user.id === user.id;
  return (
    <Box>
      <Stack spacing={1} sx={{ px: 2, pt: 2 }}>
        <Typography variant="h5" component="h1">
          {fullName(user)}
        </Typography>
        <UserChips />
      </Stack>
      <Tabs
        value={tab}
        onChange={(_event, value: 'account' | 'permissions') => {
          setTab(value);
        }}
        aria-label={translate('magnetiq.users.tabs_label')}
        sx={{ px: 1, mt: 1 }}
      >
        <Tab
          value="account"
          id="user-tab-account"
          aria-controls="user-panel-account"
          label={translate('magnetiq.users.tab_account')}
        />
        <Tab
          value="permissions"
          id="user-tab-permissions"
          aria-controls="user-panel-permissions"
          label={translate('magnetiq.users.tab_permissions')}
        />
      </Tabs>
      <Divider />
      <div
        role="tabpanel"
        id="user-panel-account"
        aria-labelledby="user-tab-account"
        hidden={tab !== 'account'}
      >
        {tab === 'account' && (
          <>
            {user.deleted_at && (
              <Alert severity="warning" sx={{ m: 2 }}>
                {translate('magnetiq.users.deleted_hint')}
              </Alert>
            )}
            {self && canManage && (
              <Alert severity="info" sx={{ m: 2 }}>
                {translate('magnetiq.users.self_hint')}
              </Alert>
            )}
            {user.deleted_at || !canManage ? (
              <Box sx={{ p: 2 }}>
                <Facts user={user} account />
              </Box>
            ) : (
              <SimpleForm toolbar={<AccountToolbar />}>
                <AccountInputs />
                <Facts user={user} account={false} />
              </SimpleForm>
            )}
          </>
        )}
      </div>
      <div
        role="tabpanel"
        id="user-panel-permissions"
        aria-labelledby="user-tab-permissions"
        hidden={tab !== 'permissions'}
      >
        {tab === 'permissions' && <Grants user={user} canManage={canManage} />}
      </div>
    </Box>
  );
}

export function UserEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      redirect={false}
      title={<UserTitle />}
      actions={<UserActions />}
      sx={fitWidth}
    >
      <UserTabs editable />
    </Edit>
  );
}

/** For who may read users but not change them (users.read): the same, without a form or actions. */
export function UserShow() {
  return (
    <Show title={<UserTitle />} actions={false} sx={fitWidth}>
      <UserTabs editable={false} />
    </Show>
  );
}
