// Holidays and other time off: date ranges (first and last day, inclusive, in the consultant's time zone) with an
// optional note; the slots API offers no times on those days.
import AddIcon from '@mui/icons-material/Add';
import RemoveCircleOutlinedIcon from '@mui/icons-material/RemoveCircleOutlined';
import { Box, Button, FormHelperText, IconButton, TextField, Typography } from '@mui/material';
import { useId } from 'react';
import { useInput, useTranslate } from 'react-admin';
import { holidayProblem, keep, type Holiday } from './hours.ts';

type Entry = Partial<Holiday>;

const validateHolidays = (value: Entry[] | null | undefined) =>
  (value ?? []).every((holiday) => holidayProblem(holiday) === null)
    ? undefined
    : 'magnetiq.consultants.holidays.invalid';

/** Today as YYYY-MM-DD in the browser's zone (the default first day of new time off). */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function HolidaysInput({ source }: { source: string }) {
  const translate = useTranslate();
  const legendId = useId();
  const { field } = useInput({ source, validate: validateHolidays, format: keep });
  const entries = (field.value ?? []) as Entry[];
  const update = (index: number, change: Entry) => {
    field.onChange(entries.map((entry, at) => (at === index ? { ...entry, ...change } : entry)));
  };

  return (
    <Box component="fieldset" aria-labelledby={legendId} sx={{ border: 0, p: 0, m: 0, width: '100%' }}>
      <Typography id={legendId} component="legend" variant="h6" sx={{ mb: 0.5 }}>
        {translate('magnetiq.consultants.holidays.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('magnetiq.consultants.holidays.help')}
      </Typography>
      {entries.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ py: 1 }}>
          {translate('magnetiq.consultants.holidays.none')}
        </Typography>
      )}
      {entries.map((entry, index) => {
        const number = index + 1;
        const problem = holidayProblem(entry);
        return (
          <Box key={index} data-holiday={index} sx={{ py: 1, borderTop: 1, borderColor: 'divider' }}>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1.5 }}>
              <TextField
                type="date"
                variant="outlined"
                size="small"
                label={translate('magnetiq.consultants.holidays.from')}
                value={entry.from ?? ''}
                onChange={(event) => {
                  update(index, { from: event.target.value });
                }}
                error={problem !== null}
                sx={{ width: 170 }}
                slotProps={{
                  inputLabel: { shrink: true },
                  htmlInput: {
                    'aria-label': translate('magnetiq.consultants.holidays.from_label', { number }),
                  },
                }}
              />
              <TextField
                type="date"
                variant="outlined"
                size="small"
                label={translate('magnetiq.consultants.holidays.to')}
                value={entry.to ?? ''}
                onChange={(event) => {
                  update(index, { to: event.target.value });
                }}
                error={problem !== null}
                sx={{ width: 170 }}
                slotProps={{
                  inputLabel: { shrink: true },
                  htmlInput: {
                    min: entry.from || undefined,
                    'aria-label': translate('magnetiq.consultants.holidays.to_label', { number }),
                  },
                }}
              />
              <TextField
                size="small"
                variant="outlined"
                label={translate('magnetiq.consultants.holidays.note')}
                value={entry.note ?? ''}
                onChange={(event) => {
                  update(index, { note: event.target.value });
                }}
                sx={{ flex: '1 1 200px', minWidth: 160 }}
                slotProps={{
                  htmlInput: {
                    maxLength: 200,
                    'aria-label': translate('magnetiq.consultants.holidays.note_label', { number }),
                  },
                }}
              />
              <IconButton
                size="small"
                onClick={() => {
                  field.onChange(entries.filter((_, at) => at !== index));
                }}
                aria-label={translate('magnetiq.consultants.holidays.remove', { number })}
              >
                <RemoveCircleOutlinedIcon fontSize="small" />
              </IconButton>
            </Box>
            {problem && (
              <FormHelperText error role="alert">
                {translate(`magnetiq.consultants.holidays.${problem}`)}
              </FormHelperText>
            )}
          </Box>
        );
      })}
      <Button
        size="small"
        startIcon={<AddIcon />}
        onClick={() => {
          const start = today();
          field.onChange([...entries, { from: start, to: start }]);
        }}
        sx={{ mt: 1 }}
      >
        {translate('magnetiq.consultants.holidays.add')}
      </Button>
    </Box>
  );
}
