// A consultant's week: for each weekday zero or more time ranges, each with a start and an end (time inputs,
// usable by keyboard), added and removed with buttons, checked as the API checks them (end after start, no
// overlap), and drawn on a 24-hour bar per day.
import AddIcon from '@mui/icons-material/Add';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import RemoveCircleOutlinedIcon from '@mui/icons-material/RemoveCircleOutlined';
import { Box, Button, FormHelperText, IconButton, TextField, Typography } from '@mui/material';
import { useId } from 'react';
import { useInput, useLocaleState, useTranslate, type TranslateFunction } from 'react-admin';
import { useWatch } from 'react-hook-form';
import {
  hoursAreValid,
  keep,
  nextRange,
  rangeProblems,
  toMinutes,
  WEEKDAYS,
  type HoursValue,
  type RangeProblem,
  type TimeRange,
  type Weekday,
} from './hours.ts';

/** Monday..Sunday in the panel's language (1 January 2024 was a Monday). */
export function weekdayName(day: Weekday, locale: string, style: 'long' | 'short' = 'long'): string {
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    weekday: style,
    timeZone: 'UTC',
  }).format(date);
}

/** A time input shows 24:00 as 00:00 (it has no 24:00); as an end, 00:00 means midnight. */
const endForInput = (end: string) => (end === '24:00' ? '00:00' : end);
const endFromInput = (value: string) => (value === '00:00' ? '24:00' : value);

function problemText(problem: RangeProblem, translate: TranslateFunction): string {
  switch (problem.kind) {
    case 'missing':
      return translate('magnetiq.consultants.hours.missing');
    case 'order':
      return translate('magnetiq.consultants.hours.order');
    case 'overlap':
      return translate('magnetiq.consultants.hours.overlap', {
        range: `${problem.with.start}–${problem.with.end}`,
      });
  }
}

const validateHours = (value: HoursValue) =>
  hoursAreValid(value) ? undefined : 'magnetiq.consultants.hours.invalid';

export function WorkingHoursInput({ source }: { source: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const legendId = useId();
  const timezone = useWatch({ name: 'timezone' }) as string | undefined;
  const { field, fieldState } = useInput({ source, validate: validateHours, format: keep });
  const value = (field.value ?? {}) as Partial<Record<Weekday, TimeRange[]>>;

  const setDay = (day: Weekday, ranges: TimeRange[]) => {
    field.onChange({ ...value, [day]: ranges });
  };
  const monday = value.mon ?? [];

  return (
    <Box component="fieldset" aria-labelledby={legendId} sx={{ border: 0, p: 0, m: 0, width: '100%' }}>
      <Typography id={legendId} component="legend" variant="h6" sx={{ mb: 0.5 }}>
        {translate('magnetiq.consultants.hours.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('magnetiq.consultants.hours.help', { zone: timezone || 'UTC' })}
      </Typography>
      {monday.length > 0 && (
        <Button
          size="small"
          startIcon={<ContentCopyIcon />}
          onClick={() => {
            const copy = () => monday.map((range) => ({ ...range }));
            field.onChange({ ...value, tue: copy(), wed: copy(), thu: copy(), fri: copy() });
          }}
          sx={{ mb: 1 }}
        >
          {translate('magnetiq.consultants.hours.copy_monday')}
        </Button>
      )}
      <Box
        aria-hidden
        sx={{
          display: { xs: 'none', md: 'grid' },
          gridTemplateColumns: '120px 1fr',
          columnGap: 2,
          color: 'text.secondary',
        }}
      >
        <span />
        <Box sx={{ position: 'relative', height: 18, typography: 'caption' }}>
          {[0, 6, 12, 18, 24].map((hour) => (
            <Box
              key={hour}
              component="span"
              sx={{
                position: 'absolute',
                left: `${(hour / 24) * 100}%`,
                transform: hour === 0 ? 'none' : hour === 24 ? 'translateX(-100%)' : 'translateX(-50%)',
              }}
            >
              {`${String(hour).padStart(2, '0')}:00`}
            </Box>
          ))}
        </Box>
      </Box>
      {WEEKDAYS.map((day) => (
        <DayRow
          key={day}
          day={day}
          name={weekdayName(day, locale)}
          ranges={value[day] ?? []}
          onChange={(ranges) => {
            setDay(day, ranges);
          }}
        />
      ))}
      {fieldState.error && (
        <FormHelperText error>{translate('magnetiq.consultants.hours.invalid')}</FormHelperText>
      )}
    </Box>
  );
}

function DayRow({
  day,
  name,
  ranges,
  onChange,
}: {
  day: Weekday;
  name: string;
  ranges: TimeRange[];
  onChange: (ranges: TimeRange[]) => void;
}) {
  const translate = useTranslate();
  const problems = rangeProblems(ranges);
  const headingId = useId();
  const update = (index: number, change: Partial<TimeRange>) => {
    onChange(ranges.map((range, at) => (at === index ? { ...range, ...change } : range)));
  };

  return (
    <Box
      role="group"
      aria-labelledby={headingId}
      data-weekday={day}
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', md: '120px 1fr' },
        columnGap: 2,
        rowGap: 1,
        py: 1.5,
        borderTop: 1,
        borderColor: 'divider',
      }}
    >
      <Typography id={headingId} component="h3" variant="subtitle2" sx={{ pt: 1 }}>
        {name}
      </Typography>
      <Box sx={{ minWidth: 0 }}>
        <DayBar ranges={ranges} problems={problems} />
        <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: 1.5, mt: 1 }}>
          {ranges.length === 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ py: 1 }}>
              {translate('magnetiq.consultants.hours.day_off')}
            </Typography>
          )}
          {ranges.map((range, index) => {
            const problem = problems[index];
            const number = index + 1;
            return (
              <Box key={index} data-range={index}>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
                  <TextField
                    type="time"
                    variant="outlined"
                    size="small"
                    label={translate('magnetiq.consultants.hours.from')}
                    value={range.start}
                    onChange={(event) => {
                      update(index, { start: event.target.value });
                    }}
                    error={problem !== null}
                    sx={{ width: 130 }}
                    slotProps={{
                      inputLabel: { shrink: true },
                      htmlInput: {
                        step: 300,
                        'aria-label': translate('magnetiq.consultants.hours.start_label', {
                          day: name,
                          number,
                        }),
                      },
                    }}
                  />
                  <span aria-hidden>–</span>
                  <TextField
                    type="time"
                    variant="outlined"
                    size="small"
                    label={translate('magnetiq.consultants.hours.until')}
                    value={endForInput(range.end)}
                    onChange={(event) => {
                      update(index, { end: endFromInput(event.target.value) });
                    }}
                    error={problem !== null}
                    sx={{ width: 130 }}
                    slotProps={{
                      inputLabel: { shrink: true },
                      htmlInput: {
                        step: 300,
                        'aria-label': translate('magnetiq.consultants.hours.end_label', {
                          day: name,
                          number,
                        }),
                      },
                    }}
                  />
                  <IconButton
                    size="small"
                    onClick={() => {
                      onChange(ranges.filter((_, at) => at !== index));
                    }}
                    aria-label={translate('magnetiq.consultants.hours.remove', { day: name, number })}
                  >
                    <RemoveCircleOutlinedIcon fontSize="small" />
                  </IconButton>
                </Box>
                {problem && (
                  <FormHelperText error role="alert" sx={{ maxWidth: 320 }}>
                    {problemText(problem, translate)}
                  </FormHelperText>
                )}
              </Box>
            );
          })}
          <Button
            size="small"
            startIcon={<AddIcon />}
            onClick={() => {
              onChange([...ranges, nextRange(ranges)]);
            }}
            aria-label={translate('magnetiq.consultants.hours.add_to', { day: name })}
            sx={{ mt: 0.5 }}
          >
            {translate('magnetiq.consultants.hours.add')}
          </Button>
        </Box>
      </Box>
    </Box>
  );
}

/** The day on a 24-hour bar (decorative: the inputs say the same). */
function DayBar({ ranges, problems }: { ranges: TimeRange[]; problems: (RangeProblem | null)[] }) {
  return (
    <Box
      aria-hidden
      sx={{
        position: 'relative',
        height: 10,
        borderRadius: 5,
        bgcolor: 'action.hover',
        overflow: 'hidden',
        mt: 1,
        backgroundImage:
          'linear-gradient(to right, transparent calc(25% - 1px), rgba(0,0,0,0.12) 25%, transparent calc(25% + 1px), transparent calc(50% - 1px), rgba(0,0,0,0.12) 50%, transparent calc(50% + 1px), transparent calc(75% - 1px), rgba(0,0,0,0.12) 75%, transparent calc(75% + 1px))',
      }}
    >
      {ranges.map((range, index) => {
        const start = toMinutes(range.start);
        const end = toMinutes(range.end);
        if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return null;
        return (
          <Box
            key={index}
            sx={{
              position: 'absolute',
              top: 0,
              bottom: 0,
              left: `${(start / 1440) * 100}%`,
              width: `${((end - start) / 1440) * 100}%`,
              bgcolor: problems[index] ? 'error.main' : 'primary.main',
              opacity: problems[index] ? 0.7 : 0.85,
            }}
          />
        );
      })}
    </Box>
  );
}
