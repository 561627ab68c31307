// The parent page: chosen from the tree of live pages by path and title (never the page itself or one of its
// subpages, which the API would refuse as a cycle).
import { Autocomplete, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useInput, useLocaleState, useTranslate, ValidationError } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { inLanguage, type TreeNodeRecord } from './model.ts';

interface Option {
  id: string;
  path: string;
  title: string;
  depth: number;
}

export function usePageTree() {
  return useQuery({
    queryKey: ['pages', 'tree'],
    queryFn: async ({ signal }) =>
      (await api<Answer<'getPageTree'>>('GET', '/pages/tree', { signal })).items as TreeNodeRecord[],
  });
}

function flatten(nodes: TreeNodeRecord[], locale: string, skip: string | undefined, depth = 0): Option[] {
  return nodes.flatMap((node) =>
    node.id === skip
      ? []
      : [
          { id: node.id, path: node.path, title: inLanguage(node.title, locale).text, depth },
          ...flatten(node.children, locale, skip, depth + 1),
        ],
  );
}

export function ParentInput({ pageId }: { pageId?: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const tree = usePageTree();
  const { field, fieldState } = useInput({ source: 'parent_id' });
  const options = useMemo(() => flatten(tree.data ?? [], locale, pageId), [tree.data, locale, pageId]);
  const value = typeof field.value === 'string' ? (options.find((o) => o.id === field.value) ?? null) : null;
  const error = fieldState.error?.message;
  return (
    <Autocomplete
      options={options}
      value={value}
      loading={tree.isPending}
      loadingText={translate('magnetiq.states.loading')}
      noOptionsText={translate('magnetiq.pages.parent_none_found')}
      getOptionLabel={(option) => `${option.path} — ${option.title}`}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      renderOption={(props, option) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest} style={{ paddingLeft: 16 + option.depth * 16 }}>
            {option.title} <span style={{ color: '#555', marginLeft: 8 }}>{option.path}</span>
          </li>
        );
      }}
      onChange={(_event, next) => {
        field.onChange(next?.id ?? null);
      }}
      onBlur={field.onBlur}
      renderInput={(params) => (
        <TextField
          {...params}
          label={translate('resources.pages.fields.parent_id')}
          error={Boolean(error) || tree.isError}
          helperText={
            error ? (
              <ValidationError error={error} />
            ) : tree.isError ? (
              tree.error.message
            ) : (
              translate('magnetiq.pages.parent_help')
            )
          }
        />
      )}
      sx={{ width: '100%' }}
    />
  );
}
