// Consultants for the consultant-list and booking-widget blocks: searched by name through the consultants API,
// stored by id; chosen ones are named even when they are not among the current search's answers.
import { Autocomplete, TextField } from '@mui/material';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { useInput, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';

type Consultant = Answer<'listConsultants'>['items'][number];

const nameOf = (c: Pick<Consultant, 'first_name' | 'last_name' | 'email'>) =>
  `${c.first_name} ${c.last_name}`.trim() || c.email;

function useConsultantSearch(search: string) {
  const q = useDeferredValue(search.trim());
  return useQuery({
    queryKey: ['pages.consultants', q],
    queryFn: ({ signal }) =>
      api<Answer<'listConsultants'>>('GET', '/consultants', {
        query: { q: q || undefined, per_page: 50 },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
}

/** The names of the chosen consultants (each fetched once, by id). */
function useNames(ids: string[], known: Consultant[]): Map<string, string> {
  const missing = ids.filter((id) => !known.some((c) => c.id === id));
  const fetched = useQueries({
    queries: missing.map((id) => ({
      queryKey: ['pages.consultant', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<Answer<'getConsultant'>>('GET', `/consultants/${encodeURIComponent(id)}`, { signal }),
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  for (const c of known) names.set(c.id, nameOf(c));
  for (const result of fetched) if (result.data) names.set(result.data.id, nameOf(result.data));
  return names;
}

export function ConsultantsInput({
  source,
  label,
  multiple,
}: {
  source: string;
  label: string;
  multiple: boolean;
}) {
  const translate = useTranslate();
  const [search, setSearch] = useState('');
  const { field, fieldState } = useInput({ source });
  const query = useConsultantSearch(search);
  const options = useMemo(() => query.data?.items ?? [], [query.data]);
  const value: string[] = multiple
    ? Array.isArray(field.value)
      ? (field.value as string[])
      : []
    : typeof field.value === 'string' && field.value !== ''
      ? [field.value]
      : [];
  const names = useNames(value, options);
  const ids = [...new Set([...value, ...options.map((o) => o.id)])];
  const labelOf = (id: string) => names.get(id) ?? translate('magnetiq.pages.consultants.unknown');
  const helper = query.isError ? query.error.message : undefined;

  const input = (params: object) => (
    <TextField
      {...params}
      label={label}
      helperText={helper ?? translate('magnetiq.pages.consultants.help')}
      error={Boolean(helper) || fieldState.invalid}
    />
  );

  return multiple ? (
    <Autocomplete
      multiple
      options={ids}
      value={value}
      getOptionLabel={labelOf}
      filterOptions={(x) => x}
      loading={query.isFetching}
      loadingText={translate('magnetiq.states.loading')}
      noOptionsText={translate('magnetiq.pages.consultants.none')}
      inputValue={search}
      onInputChange={(_event, next, reason) => {
        if (reason !== 'reset') setSearch(next);
      }}
      onChange={(_event, next) => {
        field.onChange(next.length > 0 ? next : null);
      }}
      renderInput={input}
    />
  ) : (
    <Autocomplete
      options={ids}
      value={value[0] ?? null}
      getOptionLabel={labelOf}
      filterOptions={(x) => x}
      loading={query.isFetching}
      loadingText={translate('magnetiq.states.loading')}
      noOptionsText={translate('magnetiq.pages.consultants.none')}
      onInputChange={(_event, next, reason) => {
        if (reason === 'input') setSearch(next);
      }}
      onChange={(_event, next) => {
        field.onChange(next ?? null);
      }}
      renderInput={input}
    />
  );
}
