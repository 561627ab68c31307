// The consultants (issue 13, Build 5): list with search, language, accepting bookings and trash; an editor with
// the bilingual profile, a photo from the media library, the weekly working hours, time off, and the calendar
// connection as the API reports it.
import SupportAgentIcon from '@mui/icons-material/SupportAgent';
import type { Query } from '../../api/http.ts';
import type { Body, QueryOf } from '../../api/types.ts';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import type { PanelArea } from '../types.ts';
import { normalizeHolidays, normalizeHours, type Holiday, type HoursValue } from './hours.ts';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const ConsultantCreate = lazyScreen(() => import('./ConsultantEdit.tsx'), 'ConsultantCreate');
const ConsultantEdit = lazyScreen(() => import('./ConsultantEdit.tsx'), 'ConsultantEdit');
const ConsultantList = lazyScreen(() => import('./ConsultantList.tsx'), 'ConsultantList');

type Fields = Partial<Body<'updateConsultant'>>;

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** A biography as the API takes it: English required when there is one; nothing at all is null. */
function biographyOf(value: unknown): Fields['biography'] {
  const bio = (value ?? {}) as { en?: string | null; de?: string | null };
  const en = bio.en?.trim() ? bio.en : undefined;
  const de = bio.de?.trim() ? bio.de : undefined;
  if (en === undefined && de === undefined) return null;
  // A German text without English is sent as it is: the API names the missing English (biography.en).
  return { ...(en !== undefined ? { en } : { en: '' }), ...(de !== undefined ? { de } : {}) };
}

/** The writable fields of the form as the API takes them (read-only figures and ids never go back). */
function toBody(values: Record<string, unknown>): Fields {
  const body: Fields = {};
  const nullable = ['title', 'phone', 'linkedin_url', 'photo_url'] as const;
  for (const field of nullable) if (field in values) body[field] = text(values[field]) ?? null;
  for (const field of ['first_name', 'last_name', 'email', 'timezone'] as const) {
    if (field in values && text(values[field]) !== undefined) body[field] = text(values[field]);
  }
  if ('languages' in values) body.languages = values['languages'] as Fields['languages'];
  if ('is_accepting_bookings' in values)
    body.is_accepting_bookings = Boolean(values['is_accepting_bookings']);
  if ('is_online' in values) body.is_online = Boolean(values['is_online']);
  if ('expertise' in values) {
    body.expertise = ((values['expertise'] as string[] | null) ?? []).map((e) => e.trim()).filter(Boolean);
  }
  if ('biography' in values) body.biography = biographyOf(values['biography']);
  if ('working_hours' in values) body.working_hours = normalizeHours(values['working_hours'] as HoursValue);
  if ('holidays' in values) {
    body.holidays = normalizeHolidays(values['holidays'] as Partial<Holiday>[] | null);
  }
  return body;
}

defineResourceApi('consultants', {
  path: '/consultants',
  filters: (filter): Query => {
    const accepting = filter['accepting'];
    const query: QueryOf<'listConsultants'> = {
      q: text(filter['q']),
      language: filter['language'] as QueryOf<'listConsultants'>['language'],
      is_accepting_bookings: accepting === 'yes' ? true : accepting === 'no' ? false : undefined,
      deleted: filter['trash'] ? 'only' : undefined,
    };
    return query;
  },
  toCreate: (data) => toBody(data),
  toUpdate: (changed) => toBody(changed),
  versionedDelete: true,
});

export const areas: PanelArea[] = [
  {
    name: 'consultants',
    group: 'scheduling',
    order: 30,
    icon: SupportAgentIcon,
    list: ConsultantList,
    edit: ConsultantEdit,
    create: ConsultantCreate,
  },
];
