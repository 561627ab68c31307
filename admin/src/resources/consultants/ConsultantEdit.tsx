// A consultant's editor (pessimistic, with the version it was loaded at): profile in both languages, photo from
// the media library, the weekly working hours, time off, and the calendar connection as the API reports it. A
// consultant in the trash is shown with a restore instead of a form.
import { Alert, Box, Divider, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import {
  AutocompleteInput,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  DeleteButton,
  Edit,
  SaveButton,
  SimpleForm,
  TextArrayInput,
  TextInput,
  Toolbar,
  email,
  required,
  useRecordContext,
  useTranslate,
  type Validator,
} from 'react-admin';
import { BilingualInput } from '../../components/Bilingual.tsx';
import { useFormatDateTime, userTimeZone } from '../../components/DateTime.tsx';
import { RestoreButton } from '../../components/RestoreButton.tsx';
import { StaleVersionAlert, useStaleVersion, type StaleVersion } from '../../components/StaleVersion.tsx';
import { CalendarState } from './CalendarState.tsx';
import { fullName, LANGUAGE_CHOICES, type Consultant } from './ConsultantList.tsx';
import { HolidaysInput } from './HolidaysInput.tsx';
import { PhotoInput } from './PhotoInput.tsx';
import { WorkingHoursInput } from './WorkingHoursInput.tsx';
import { DELETE_ON_TOOLBAR } from '../media/contrast.ts';

export function ConsultantTitle() {
  const translate = useTranslate();
  const record = useRecordContext<Consultant>();
  return (
    <span>
      {translate('resources.consultants.name', { smart_count: 1 })}
      {record ? ` ${fullName(record)}` : ''}
    </span>
  );
}

export function ConsultantEdit() {
  const conflict = useStaleVersion();
  return (
    <Edit
      mutationMode="pessimistic"
      mutationOptions={conflict.mutationOptions}
      redirect={false}
      actions={false}
      title={<ConsultantTitle />}
    >
      <EditBody conflict={conflict} />
    </Edit>
  );
}

export function ConsultantCreate() {
  const defaults = useMemo(
    () => ({
      languages: ['en'],
      timezone: userTimeZone(),
      is_accepting_bookings: true,
      is_online: true,
      expertise: [],
      working_hours: null,
      holidays: [],
      photo_url: null,
    }),
    [],
  );
  return (
    <Create redirect="edit" title="magnetiq.consultants.create_title">
      <SimpleForm defaultValues={defaults}>
        <ConsultantFields />
      </SimpleForm>
    </Create>
  );
}

function EditBody({ conflict }: { conflict: StaleVersion }) {
  const record = useRecordContext<Consultant>();
  if (!record) return null;
  if (record.deleted_at) return <InTrash record={record} />;
  return (
    // A newer version loaded after a conflict keeps what the user changed (see StaleVersion).
    <SimpleForm toolbar={<EditToolbar />} resetOptions={KEEP_EDITS}>
      <StaleVersionAlert conflict={conflict} />
      <ConsultantFields aside={<CalendarState />} />
    </SimpleForm>
  );
}

function EditToolbar() {
  const record = useRecordContext<Consultant>();
  return (
    <Toolbar sx={{ display: 'flex', justifyContent: 'space-between' }}>
      <SaveButton />
      <DeleteButton
        mutationMode="pessimistic"
        confirmTitle="magnetiq.consultants.delete.title"
        confirmContent="magnetiq.consultants.delete.content"
        titleTranslateOptions={{ person: record ? fullName(record) : '' }}
        contentTranslateOptions={{ person: record ? fullName(record) : '' }}
        sx={DELETE_ON_TOOLBAR}
      />
    </Toolbar>
  );
}

const KEEP_EDITS = { keepDirtyValues: true };

const timeZones = (() => {
  const zones = Intl.supportedValuesOf('timeZone');
  return [...(zones.includes('UTC') ? [] : ['UTC']), ...zones].map((zone) => ({ id: zone, name: zone }));
})();

const httpsUrl: Validator = (value: unknown) =>
  typeof value !== 'string' || value === '' || /^https:\/\/\S+$/.test(value)
    ? undefined
    : 'magnetiq.consultants.https_required';

const atLeastOne: Validator = (value: unknown) =>
  Array.isArray(value) && value.length > 0 ? undefined : 'magnetiq.consultants.languages_required';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box component="section" sx={{ width: '100%', mt: 3 }}>
      <Divider sx={{ mb: 2 }} />
      <Typography component="h2" variant="h6" sx={{ mb: 1 }}>
        {translate(title)}
      </Typography>
      {children}
    </Box>
  );
}

/** The inputs of a create and an edit; `aside` (the calendar state) only where there is a record. */
function ConsultantFields({ aside }: { aside?: ReactNode }) {
  const translate = useTranslate();
  const twoColumns = { display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 };
  return (
    <>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 2fr) minmax(260px, 1fr)' },
          gap: 3,
          width: '100%',
          alignItems: 'start',
        }}
      >
        <Box sx={{ minWidth: 0 }}>
          <Typography component="h2" variant="h6" sx={{ mb: 1 }}>
            {translate('magnetiq.consultants.sections.profile')}
          </Typography>
          <Box sx={twoColumns}>
            <TextInput
              source="first_name"
              label="resources.consultants.fields.first_name"
              validate={required()}
              slotProps={{ htmlInput: { maxLength: 100 } }}
            />
            <TextInput
              source="last_name"
              label="resources.consultants.fields.last_name"
              validate={required()}
              slotProps={{ htmlInput: { maxLength: 100 } }}
            />
            <TextInput
              source="title"
              label="resources.consultants.fields.title"
              helperText="magnetiq.consultants.title_help"
              slotProps={{ htmlInput: { maxLength: 200 } }}
            />
            <TextInput
              source="email"
              label="resources.consultants.fields.email"
              type="email"
              validate={[required(), email()]}
              slotProps={{ htmlInput: { maxLength: 255 } }}
            />
            <TextInput
              source="phone"
              label="resources.consultants.fields.phone"
              type="tel"
              slotProps={{ htmlInput: { maxLength: 50 } }}
            />
            <TextInput
              source="linkedin_url"
              label="resources.consultants.fields.linkedin_url"
              type="url"
              validate={httpsUrl}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </Box>
          <Box sx={twoColumns}>
            <CheckboxGroupInput
              source="languages"
              label="resources.consultants.fields.languages"
              choices={LANGUAGE_CHOICES}
              validate={atLeastOne}
            />
            <AutocompleteInput
              source="timezone"
              label="resources.consultants.fields.timezone"
              choices={timeZones}
              validate={required()}
              disableClearable
              helperText="magnetiq.consultants.timezone_help"
            />
          </Box>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3 }}>
            <BooleanInput
              source="is_accepting_bookings"
              label="resources.consultants.fields.is_accepting_bookings"
              helperText="magnetiq.consultants.accepting_help"
            />
            <BooleanInput
              source="is_online"
              label="resources.consultants.fields.is_online"
              helperText="magnetiq.consultants.online_help"
            />
          </Box>
          <TextArrayInput
            source="expertise"
            label="resources.consultants.fields.expertise"
            helperText="magnetiq.consultants.expertise_help"
            fullWidth
          />
          <BilingualInput
            source="biography"
            label={translate('resources.consultants.fields.biography')}
            multiline
            maxLength={10_000}
          />
        </Box>
        <Box sx={{ minWidth: 0, display: 'flex', flexDirection: 'column', gap: 2 }}>
          <PhotoInput source="photo_url" />
          {aside}
        </Box>
      </Box>
      <Section title="magnetiq.consultants.sections.availability">
        <WorkingHoursInput source="working_hours" />
        <Box sx={{ mt: 3 }}>
          <HolidaysInput source="holidays" />
        </Box>
      </Section>
    </>
  );
}

/** A consultant in the trash: when they were deleted, and the way back. */
function InTrash({ record }: { record: Consultant }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  return (
    <Box sx={{ p: 2 }}>
      <Alert
        severity="warning"
        action={
          <RestoreButton
            inAlert
            path={`/consultants/${record.id}/restore`}
            name={fullName(record)}
            label={{ text: 'magnetiq.consultants.restore' }}
            restored="magnetiq.consultants.restored"
            onRestored={() => queryClient.invalidateQueries({ queryKey: ['consultants'] })}
          />
        }
      >
        {translate('magnetiq.consultants.in_trash', {
          name: fullName(record),
          date: format(record.deleted_at),
        })}
      </Alert>
    </Box>
  );
}
