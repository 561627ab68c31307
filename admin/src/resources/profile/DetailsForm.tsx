// Names, language and time zone of the signed-in user (PATCH /auth/me with the version read). A changed
// language switches the panel at once (LanguageSync follows the profile).
import { Stack } from '@mui/material';
import {
  AutocompleteInput,
  Form,
  maxLength,
  required,
  SaveButton,
  SelectInput,
  TextInput,
  useNotify,
} from 'react-admin';
import { api, ApiError } from '../../api/http.ts';
import type { Body, User } from '../../api/types.ts';
import { loadMe, updateMeUser } from '../../auth/session.ts';
import { changedFields } from '../../providers/dataProvider.ts';
import { asText, errorText } from '../../components/ConfirmAction.tsx';
import { languageChoices } from '../users/fields.tsx';
import { timeZoneChoices } from './timeZones.ts';

const FIELDS = ['first_name', 'last_name', 'language', 'timezone'] as const;

export function DetailsForm({ user }: { user: User }) {
  const notify = useNotify();

  const save = async (values: Record<string, unknown>) => {
    const wanted = Object.fromEntries(FIELDS.map((field) => [field, values[field]]));
    const changed = changedFields(wanted, user);
    if (Object.keys(changed).length === 0) return undefined;
    try {
      const body = { ...changed, version: user.version } as Body<'updateOwnProfile'>;
      updateMeUser(await api<User>('PATCH', '/auth/me', { body }));
      notify('magnetiq.profile.saved', { type: 'success' });
      return undefined;
    } catch (error) {
      const text = errorText(error);
      notify(text, { type: 'error', ...asText(text) });
      if (!(error instanceof ApiError)) return undefined;
      // Changed elsewhere meanwhile: the form shows the profile as it is now.
      if (error.status === 409) {
        await loadMe();
        return undefined;
      }
      // A refused field's reason next to it.
      const fields: Record<string, string> = {};
      for (const detail of error.details) {
        const field = detail.field?.replace(/^body\.?/, '');
        if (field) fields[field] = detail.message;
      }
      return fields;
    }
  };

  return (
    <Form record={user} onSubmit={save}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextInput
          source="first_name"
          label="resources.users.fields.first_name"
          validate={[required(), maxLength(100)]}
          autoComplete="given-name"
          fullWidth
        />
        <TextInput
          source="last_name"
          label="resources.users.fields.last_name"
          validate={[required(), maxLength(100)]}
          autoComplete="family-name"
          fullWidth
        />
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <SelectInput
          source="language"
          label="resources.users.fields.language"
          choices={languageChoices}
          validate={required()}
          fullWidth
        />
        <AutocompleteInput
          source="timezone"
          label="resources.users.fields.timezone"
          choices={timeZoneChoices(user.timezone)}
          translateChoice={false}
          validate={required()}
          helperText="magnetiq.profile.timezone_help"
          fullWidth
        />
      </Stack>
      <SaveButton />
    </Form>
  );
}
