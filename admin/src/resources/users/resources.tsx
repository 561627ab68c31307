// The resources a grant can be limited to ("page:<id>", "media:<id>", "consultant:<id>"): searched by name
// when granting, and shown by name in the list of grants.
import { Autocomplete, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';

type PageItem = Answer<'listPages'>['items'][number];
type MediaItem = Answer<'listMedia'>['items'][number];
type ConsultantItem = Answer<'listConsultants'>['items'][number];

interface Kind<T> {
  path: string;
  label: (item: T, locale: string) => string;
}

const bilingual = (value: { en?: string; de?: string } | null | undefined, locale: string) =>
  (locale === 'de' ? value?.de || value?.en : value?.en || value?.de) ?? '';

const KINDS: Record<string, Kind<never>> = {
  page: {
    path: '/pages',
    label: (page: PageItem, locale) => `${bilingual(page.title, locale) || page.slug} (${page.path})`,
  } satisfies Kind<PageItem>,
  media: {
    path: '/media',
    label: (media: MediaItem, locale) => bilingual(media.title, locale) || media.original_filename,
  } satisfies Kind<MediaItem>,
  consultant: {
    path: '/consultants',
    label: (consultant: ConsultantItem) => `${consultant.first_name} ${consultant.last_name}`.trim(),
  } satisfies Kind<ConsultantItem>,
};

interface Option {
  id: string;
  label: string;
}

/** Whether the panel can search resources of `kind` by name. */
export function searchable(kind: string): boolean {
  return Object.hasOwn(KINDS, kind);
}

function kindLabel(translate: (key: string, options?: object) => string, kind: string): string {
  return translate(`magnetiq.grants.kinds.${kind}`, { _: kind });
}

/** A search of one kind of resource by name; answers the chosen id. */
export function ResourceSearch({
  kind,
  value,
  onChange,
}: {
  kind: string;
  value: Option | null;
  onChange: (option: Option | null) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [text, setText] = useState('');
  const definition = KINDS[kind] as Kind<unknown> | undefined;
  const search = useQuery({
    queryKey: ['magnetiq', 'grant-resources', kind, text],
    enabled: definition !== undefined,
    queryFn: async ({ signal }) => {
      if (!definition) return [];
      const answer = await api<{ items: unknown[] }>('GET', definition.path, {
        query: { q: text.trim() || undefined, per_page: 20 },
        signal,
      });
      return answer.items.map((item) => ({
        id: (item as { id: string }).id,
        label: definition.label(item, locale),
      }));
    },
  });
  return (
    <Autocomplete<Option>
      options={search.data ?? []}
      value={value}
      loading={search.isFetching}
      filterOptions={(options) => options}
      isOptionEqualToValue={(option, chosen) => option.id === chosen.id}
      onChange={(_event, option) => {
        onChange(option);
      }}
      onInputChange={(_event, input, reason) => {
        if (reason === 'input') setText(input);
      }}
      noOptionsText={translate(search.isError ? 'magnetiq.grants.search_failed' : 'magnetiq.grants.no_match')}
      loadingText={translate('magnetiq.states.loading')}
      renderInput={(params) => (
        <TextField
          {...params}
          required
          label={kindLabel(translate, kind)}
          helperText={search.isError ? search.error.message : translate('magnetiq.grants.search_help')}
          error={search.isError}
        />
      )}
    />
  );
}

/** "page:<id>" as "Page: About us", the name loaded when the panel knows the kind. */
export function ResourceName({ resource }: { resource: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const colon = resource.indexOf(':');
  const kind = colon > 0 ? resource.slice(0, colon) : '';
  const id = colon > 0 ? resource.slice(colon + 1) : resource;
  const definition = KINDS[kind] as Kind<unknown> | undefined;
  const name = useQuery({
    queryKey: ['magnetiq', 'grant-resource', resource],
    enabled: definition !== undefined,
    retry: false,
    queryFn: async ({ signal }) =>
      definition
        ? definition.label(
            await api<unknown>('GET', `${definition.path}/${encodeURIComponent(id)}`, { signal }),
            locale,
          )
        : id,
  });
  const label = kind ? `${kindLabel(translate, kind)}: ` : '';
  return (
    <span title={resource}>
      {label}
      {name.data ?? id}
    </span>
  );
}
