// Mail the product sent or kept: a list by status and recipient, each mail shown as its recipient would see
// it (the HTML in a sandboxed frame: no script, no form, no navigation, no access to the panel) and as text.
import VisibilityIcon from '@mui/icons-material/Visibility';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tab,
  Tabs,
} from '@mui/material';
import { useState } from 'react';
import {
  Datagrid,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { Answer } from '../../api/types.ts';
import { DateTimeField, useFormatDateTime } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { Fact, FactList } from '../../components/Facts.tsx';
import { JsonBlock } from '../audit-logs/JsonValue.tsx';
import { listFitWidth } from '../users/layout.ts';
import { StatusChip } from './StatusChip.tsx';

type Mail = Answer<'listOutboxMails'>['items'][number];
const STATUSES = ['queued', 'sent', 'failed', 'outbox'];

const filters = [
  <TextInput key="recipient" source="recipient" alwaysOn />,
  <SelectInput
    key="status"
    source="status"
    choices={STATUSES.map((status) => ({ id: status, name: `magnetiq.operations.status.${status}` }))}
    alwaysOn
  />,
];

export function MailDialog({ mail, onClose }: { mail: Mail; onClose: () => void }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const [view, setView] = useState<'html' | 'text'>(mail.html_body ? 'html' : 'text');
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="mail-title">
      <DialogTitle id="mail-title">{mail.subject}</DialogTitle>
      <DialogContent>
        <FactList sx={{ mb: 2 }}>
          <Fact label={translate('resources.outbox.fields.recipient')}>{mail.recipient}</Fact>
          <Fact label={translate('resources.outbox.fields.status')}>
            <StatusChip status={mail.status} />
          </Fact>
          <Fact label={translate('resources.outbox.fields.created_at')}>{format(mail.created_at)}</Fact>
          {mail.sent_at && (
            <Fact label={translate('resources.outbox.fields.sent_at')}>{format(mail.sent_at)}</Fact>
          )}
          {mail.template && (
            <Fact label={translate('resources.outbox.fields.template')}>{mail.template}</Fact>
          )}
          <Fact label={translate('resources.outbox.fields.language')}>
            {translate(`magnetiq.language.${mail.language}`, { _: mail.language })}
          </Fact>
          {mail.message_id && <Fact label={translate('magnetiq.outbox.message_id')}>{mail.message_id}</Fact>}
        </FactList>
        {mail.error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {mail.error}
          </Alert>
        )}
        <Tabs
          value={view}
          onChange={(_event, value: 'html' | 'text') => {
            setView(value);
          }}
          aria-label={translate('magnetiq.outbox.views')}
        >
          <Tab
            value="html"
            id="mail-tab-html"
            aria-controls="mail-panel"
            label={translate('magnetiq.outbox.html')}
            disabled={!mail.html_body}
          />
          <Tab
            value="text"
            id="mail-tab-text"
            aria-controls="mail-panel"
            label={translate('magnetiq.outbox.text')}
          />
        </Tabs>
        <Box role="tabpanel" id="mail-panel" aria-labelledby={`mail-tab-${view}`} sx={{ pt: 2 }}>
          {view === 'html' && mail.html_body ? (
            <Box
              component="iframe"
              title={translate('magnetiq.outbox.html_frame', { subject: mail.subject })}
              sandbox=""
              srcDoc={mail.html_body}
              referrerPolicy="no-referrer"
              sx={{
                width: '100%',
                height: 'min(480px, 55vh)',
                border: 1,
                borderColor: 'divider',
                borderRadius: 1,
                bgcolor: 'common.white',
              }}
            />
          ) : (
            <JsonBlock value={mail.text_body} label={translate('magnetiq.outbox.text')} maxHeight={480} />
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}

function ViewButton({ onView }: { onView: (mail: Mail) => void }) {
  const mail = useRecordContext<Mail>();
  const translate = useTranslate();
  if (!mail) return null;
  return (
    <Button
      size="small"
      startIcon={<VisibilityIcon />}
      onClick={(event) => {
        event.stopPropagation();
        onView(mail);
      }}
    >
      {translate('ra.action.show')}
    </Button>
  );
}

export function OutboxList() {
  const translate = useTranslate();
  const [open, setOpen] = useState<Mail | null>(null);
  return (
    <>
      <List
        filters={filters}
        actions={false}
        sx={listFitWidth}
        perPage={25}
        sort={{ field: '', order: 'ASC' }}
        empty={<Empty message={translate('magnetiq.outbox.none')} actions={false} />}
      >
        <Datagrid
          bulkActionButtons={false}
          sx={{ '& .column-created_at, & .column-sent_at': { whiteSpace: 'nowrap' } }}
          rowClick={(_id, _resource, record) => {
            setOpen(record as Mail);
            return false;
          }}
          empty={<Empty message={translate('magnetiq.outbox.none_matching')} actions={false} />}
        >
          <DateTimeField source="created_at" sortable={false} />
          <TextField source="recipient" sortable={false} />
          <TextField source="subject" sortable={false} />
          <FunctionField<Mail> source="template" sortable={false} render={(mail) => mail.template ?? '—'} />
          <FunctionField<Mail>
            source="status"
            sortable={false}
            render={(mail) => <StatusChip status={mail.status} />}
          />
          <DateTimeField source="sent_at" sortable={false} />
          <ViewButton onView={setOpen} />
        </Datagrid>
      </List>
      {open && (
        <MailDialog
          mail={open}
          onClose={() => {
            setOpen(null);
          }}
        />
      )}
    </>
  );
}
