import { defineSettings, setting, rules, type SettingTypes } from '../../platform/settings.ts';

/** The settings of the bookings module (the availability engine reads them too): type, default, rules and what each does in English and German. */
export const bookingSettings = defineSettings({
  'booking.min_notice_hours': setting<number>({
    value: 24,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'How many hours ahead a consultation must be booked at least',
      de: 'Mindestvorlauf einer Buchung in Stunden',
    },
    is_public: true,
    validation_rules: rules.integer(0, 720),
  }),
  'booking.horizon_days': setting<number>({
    value: 60,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'How many days ahead consultations can be booked',
      de: 'Wie viele Tage im Voraus Beratungen gebucht werden können',
    },
    is_public: true,
    validation_rules: rules.integer(1, 365),
  }),
  'booking.buffer_minutes': setting<number>({
    value: 15,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Free minutes kept between two bookings of a consultant',
      de: 'Freie Minuten zwischen zwei Buchungen eines Beraters',
    },
    validation_rules: rules.integer(0, 240),
  }),
  'booking.slot_interval_minutes': setting<number>({
    value: 30,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Bookable start times are this many minutes apart',
      de: 'Abstand der buchbaren Anfangszeiten in Minuten',
    },
    validation_rules: { ...rules.integer(5, 240), multipleOf: 5 },
  }),
  'booking.max_per_day': setting<number>({
    value: 8,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Most bookings one consultant takes on one day',
      de: 'Höchstzahl der Buchungen eines Beraters an einem Tag',
    },
    validation_rules: rules.integer(1, 48),
  }),
  'booking.cancellation_cutoff_hours': setting<number>({
    value: 24,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Clients can cancel or move a booking until this many hours before it starts',
      de: 'Bis wie viele Stunden vor Beginn Kunden eine Buchung absagen oder verschieben können',
    },
    is_public: true,
    validation_rules: rules.integer(0, 720),
  }),
  'booking.meeting_base_url': setting<string>({
    value: 'https://meet.jit.si',
    data_type: 'string',
    category: 'booking',
    description: {
      en: 'Jitsi server for online meetings; each booking gets a room below it',
      de: 'Jitsi-Server für Online-Termine; jede Buchung erhält dort einen eigenen Raum',
    },
    validation_rules: rules.httpsUrl,
  }),
});

declare module '../../platform/settings.ts' {
  interface KnownSettings extends SettingTypes<typeof bookingSettings> {}
}
