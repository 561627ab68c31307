// The bookings list: filters for consultant, status, a range of days (in the user's time zone), the client's
// e-mail and a search over reference and client name; sorted by start. By default it shows what lies ahead.
import CalendarViewWeekIcon from '@mui/icons-material/CalendarViewWeek';
import SearchIcon from '@mui/icons-material/Search';
import { Box, InputAdornment, Link, Typography } from '@mui/material';
import {
  Button,
  DataTable,
  DateInput,
  FilterButton,
  List,
  SelectArrayInput,
  SelectInput,
  TextInput,
  TopToolbar,
  useBasename,
  useCreatePath,
  useTranslate,
} from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { userTimeZone, useFormatDateTime } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { consultantName, STATUSES, useConsultants, type Booking } from './api.ts';
import { StatusChip } from './StatusChip.tsx';
import { localDateOf } from './time.ts';

function ConsultantFilter({ source }: { source: string; alwaysOn?: boolean }) {
  const translate = useTranslate();
  const consultants = useConsultants();
  return (
    <SelectInput
      source={source}
      label="resources.bookings.fields.consultant"
      choices={(consultants.data ?? []).map((c) => ({ id: c.id, name: consultantName(c) }))}
      isPending={consultants.isPending}
      emptyText="magnetiq.bookings.filters.all_consultants"
      helperText={consultants.isError ? translate('magnetiq.bookings.consultants_error') : false}
      sx={{ width: 200 }}
    />
  );
}

function StatusFilter({ source }: { source: string; alwaysOn?: boolean }) {
  return (
    <SelectArrayInput
      source={source}
      label="resources.bookings.fields.status"
      choices={STATUSES.map((status) => ({ id: status, name: `magnetiq.bookings.status.${status}` }))}
      sx={{ width: 170 }}
    />
  );
}

function SearchFilter({ source }: { source: string; alwaysOn?: boolean }) {
  const translate = useTranslate();
  // A visible label (a placeholder alone is no label): "Search", with what it searches as the placeholder.
  return (
    <TextInput
      source={source}
      label="ra.action.search"
      placeholder={translate('magnetiq.bookings.filters.search')}
      sx={{ width: 230 }}
      slotProps={{
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <SearchIcon color="disabled" />
            </InputAdornment>
          ),
        },
      }}
    />
  );
}

const filters = [
  <SearchFilter key="q" source="q" alwaysOn />,
  <ConsultantFilter key="consultant_id" source="consultant_id" alwaysOn />,
  <StatusFilter key="status" source="status" alwaysOn />,
  <DateInput key="from" source="from" label="magnetiq.bookings.filters.from" alwaysOn />,
  <DateInput key="to" source="to" label="magnetiq.bookings.filters.to" alwaysOn />,
  <TextInput key="client_email" source="client_email" label="resources.bookings.fields.client_email" />,
];

function WeekButton() {
  const basename = useBasename();
  return (
    <Button component={RouterLink} to={`${basename}/bookings/week`} label="magnetiq.bookings.week.open">
      <CalendarViewWeekIcon />
    </Button>
  );
}

function Actions() {
  return (
    <TopToolbar>
      <FilterButton />
      <WeekButton />
    </TopToolbar>
  );
}

function ReferenceLink({ record }: { record: Booking }) {
  const createPath = useCreatePath();
  return (
    <Link
      component={RouterLink}
      to={createPath({ resource: 'bookings', id: record.id, type: 'show' })}
      onClick={(event) => {
        event.stopPropagation();
      }}
      sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
    >
      {record.reference}
    </Link>
  );
}

function When({ record }: { record: Booking }) {
  const format = useFormatDateTime();
  return (
    <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
      <time dateTime={record.start}>{format(record.start)}</time>
    </Box>
  );
}

function Client({ record }: { record: Booking }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="body2">
        {record.client_first_name} {record.client_last_name}
      </Typography>
      <Typography variant="caption" color="text.secondary" sx={{ wordBreak: 'break-all' }}>
        {record.client_email}
      </Typography>
    </Box>
  );
}

function MeetingType({ record }: { record: Booking }) {
  const translate = useTranslate();
  return (
    <>
      {translate('magnetiq.bookings.minutes', { count: record.duration })},{' '}
      {translate(`magnetiq.bookings.meeting_type.${record.meeting_type}`, { _: record.meeting_type })}
    </>
  );
}

export function BookingList() {
  const translate = useTranslate();
  return (
    <List
      sort={{ field: 'start', order: 'ASC' }}
      filters={filters}
      filterDefaultValues={{ from: localDateOf(Date.now(), userTimeZone()) }}
      actions={<Actions />}
      empty={<Empty message={translate('magnetiq.bookings.empty')} actions={<WeekButton />} />}
      perPage={25}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col
          source="start"
          label="resources.bookings.fields.start"
          render={(record: Booking) => <When record={record} />}
        />
        <DataTable.Col
          source="reference"
          label="resources.bookings.fields.reference"
          disableSort
          render={(record: Booking) => <ReferenceLink record={record} />}
        />
        <DataTable.Col
          source="client_last_name"
          label="magnetiq.bookings.client"
          disableSort
          render={(record: Booking) => <Client record={record} />}
        />
        <DataTable.Col source="consultant_name" label="resources.bookings.fields.consultant" disableSort />
        <DataTable.Col
          source="meeting_type"
          label="resources.bookings.fields.meeting_type"
          disableSort
          render={(record: Booking) => <MeetingType record={record} />}
        />
        <DataTable.Col
          source="status"
          label="resources.bookings.fields.status"
          disableSort
          render={(record: Booking) => <StatusChip status={record.status} />}
        />
      </DataTable>
    </List>
  );
}
