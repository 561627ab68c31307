// What staff do with a booking: move it (slot picker), cancel it (with a reason the booking keeps), record that
// the meeting took place or that the client did not come. Each button shows only when the API would accept it
// (status, time) and the user holds bookings.manage; each asks first, since the client is mailed.
import EventBusyIcon from '@mui/icons-material/EventBusy';
import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import PersonOffIcon from '@mui/icons-material/PersonOff';
import TaskAltIcon from '@mui/icons-material/TaskAlt';
import { Button, TextField } from '@mui/material';
import { useState } from 'react';
import { useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { currentMe, holds } from '../../auth/session.ts';
import { ConfirmDialog } from '../../components/ConfirmAction.tsx';
import { bookingActions, canChange, canRecord, type Booking } from './api.ts';
import { RescheduleDialog } from './SlotPicker.tsx';

type Action = 'reschedule' | 'cancel' | 'complete' | 'no_show';

/** The action buttons of a booking's detail (in its title bar). */
export function BookingActions() {
  const record = useRecordContext<Booking>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  if (!record || !holds(currentMe(), 'bookings.manage')) return null;

  /** `message`: a message key (notify translates it). */
  const done = (message: string) => {
    setOpen(null);
    setReason('');
    notify(message, { type: 'success' });
    refresh();
  };
  const close = () => {
    setOpen(null);
  };
  const back = translate('magnetiq.bookings.actions.back');
  const movable = canChange(record);
  const completable = canRecord(record, 'completed');
  const noShowable = canRecord(record, 'no_show');

  return (
    <>
      {movable && (
        <Button
          startIcon={<EventRepeatIcon />}
          onClick={() => {
            setOpen('reschedule');
          }}
        >
          {translate('magnetiq.bookings.actions.reschedule')}
        </Button>
      )}
      {movable && (
        <Button
          color="error"
          startIcon={<EventBusyIcon />}
          onClick={() => {
            setOpen('cancel');
          }}
        >
          {translate('magnetiq.bookings.actions.cancel')}
        </Button>
      )}
      {completable && (
        <Button
          color="success"
          startIcon={<TaskAltIcon />}
          onClick={() => {
            setOpen('complete');
          }}
        >
          {translate('magnetiq.bookings.actions.complete')}
        </Button>
      )}
      {noShowable && (
        <Button
          startIcon={<PersonOffIcon />}
          onClick={() => {
            setOpen('no_show');
          }}
        >
          {translate('magnetiq.bookings.actions.no_show')}
        </Button>
      )}

      {open === 'reschedule' && (
        <RescheduleDialog
          booking={record}
          open
          onClose={close}
          onDone={() => {
            done('magnetiq.bookings.actions.rescheduled');
          }}
        />
      )}
      <ConfirmDialog
        open={open === 'cancel'}
        title={translate('magnetiq.bookings.actions.cancel_title', { reference: record.reference })}
        text={translate('magnetiq.bookings.actions.cancel_text')}
        confirmLabel={translate('magnetiq.bookings.actions.cancel')}
        cancelLabel={back}
        danger
        onClose={close}
        run={async () => {
          await bookingActions.cancel(record, reason);
          done('magnetiq.bookings.actions.cancelled');
        }}
      >
        <TextField
          label={translate('magnetiq.bookings.actions.reason')}
          helperText={translate('magnetiq.bookings.actions.reason_help')}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
          }}
          multiline
          minRows={2}
          fullWidth
          sx={{ mt: 2 }}
          slotProps={{ htmlInput: { maxLength: 2000 } }}
        />
      </ConfirmDialog>
      <ConfirmDialog
        open={open === 'complete'}
        title={translate('magnetiq.bookings.actions.complete_title', { reference: record.reference })}
        text={translate('magnetiq.bookings.actions.complete_text')}
        confirmLabel={translate('magnetiq.bookings.actions.complete')}
        cancelLabel={back}
        onClose={close}
        run={async () => {
          await bookingActions.complete(record);
          done('magnetiq.bookings.actions.completed');
        }}
      />
      <ConfirmDialog
        open={open === 'no_show'}
        title={translate('magnetiq.bookings.actions.no_show_title', { reference: record.reference })}
        text={translate('magnetiq.bookings.actions.no_show_text')}
        confirmLabel={translate('magnetiq.bookings.actions.no_show')}
        cancelLabel={back}
        onClose={close}
        run={async () => {
          await bookingActions.noShow(record);
          done('magnetiq.bookings.actions.no_show_recorded');
        }}
      />
    </>
  );
}
