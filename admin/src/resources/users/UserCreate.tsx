import { Alert } from '@mui/material';
import { Create, SimpleForm, useLocaleState, useNotify, useRedirect, useTranslate } from 'react-admin';
import type { User } from '../../api/types.ts';
import { userTimeZone } from '../../components/DateTime.tsx';
import { AccountInputs } from './fields.tsx';

/** An invitation: the account without a password; the API mails a link to choose one. */
export function UserCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  const [locale] = useLocaleState();
  return (
    <Create
      mutationMode="pessimistic"
      title="magnetiq.users.invite_title"
      mutationOptions={{
        onSuccess: (user: User) => {
          notify('magnetiq.users.invited', { type: 'success', messageArgs: { email: user.email } });
          redirect('edit', 'users', user.id);
        },
      }}
    >
      <SimpleForm defaultValues={{ role: 'editor', language: locale, timezone: userTimeZone() }}>
        <Alert severity="info" sx={{ mb: 2, width: '100%' }}>
          <InviteHelp />
        </Alert>
        <AccountInputs />
      </SimpleForm>
    </Create>
  );
}

function InviteHelp() {
  const translate = useTranslate();
  return <>{translate('magnetiq.users.invite_help')}</>;
}
