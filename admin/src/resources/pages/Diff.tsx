// Two states of a page side by side, field by field (the conflict dialog and the history share it): each value
// in words a person reads, bilingual texts with both languages, blocks by type and first text.
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { inLanguage, isBlockType, type TreeNodeRecord } from './model.ts';
import { usePageTree } from './ParentInput.tsx';

const LONG = 400;
const short = (text: string) => (text.length > LONG ? `${text.slice(0, LONG - 1)}…` : text);

function isLocalized(value: unknown): value is { en?: unknown; de?: unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((key) => key === 'en' || key === 'de')
  );
}

const TIMESTAMPS = new Set(['published_at', 'scheduled_at', 'deleted_at', 'created_at', 'updated_at']);

/** A parent page by its path in the tree (its id where the tree does not hold it, e.g. a deleted page). */
function ParentValue({ id }: { id: string }) {
  const tree = usePageTree();
  const find = (nodes: TreeNodeRecord[]): TreeNodeRecord | undefined => {
    for (const node of nodes) {
      if (node.id === id) return node;
      const inner = find(node.children);
      if (inner) return inner;
    }
    return undefined;
  };
  const node = find(tree.data ?? []);
  return (
    <Typography variant="body2" sx={{ overflowWrap: 'anywhere', fontFamily: node ? 'monospace' : undefined }}>
      {node?.path ?? id}
    </Typography>
  );
}

/** One value of a page's field, readable. */
export function FieldValue({ field, value }: { field: string; value: unknown }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const format = useFormatDateTime();
  const none = (
    <Typography component="span" variant="body2" sx={{ color: 'text.secondary' }}>
      —
    </Typography>
  );
  if (value === null || value === undefined || value === '') return none;
  if (isLocalized(value)) {
    const lines = (['en', 'de'] as const).filter(
      (lang) => typeof value[lang] === 'string' && value[lang] !== '',
    );
    if (lines.length === 0) return none;
    return (
      <Box>
        {lines.map((lang) => (
          <Typography
            key={lang}
            variant="body2"
            lang={lang}
            sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          >
            <Box
              component="abbr"
              title={translate(`magnetiq.language.${lang}`)}
              sx={{ fontWeight: 600, mr: 0.5, textDecoration: 'none' }}
            >
              {lang.toUpperCase()}
            </Box>
            {short(String(value[lang]))}
          </Typography>
        ))}
      </Box>
    );
  }
  if (field === 'blocks' && Array.isArray(value)) {
    if (value.length === 0) return none;
    return (
      <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
        {value.map((block: unknown, index) => {
          const b = (block && typeof block === 'object' ? block : {}) as Record<string, unknown>;
          const type = b['type'];
          const first = ['heading', 'text', 'body', 'alt', 'caption']
            .map((key) => inLanguage(b[key], locale).text)
            .find((text) => text.trim() !== '');
          return (
            <li key={index}>
              <Typography variant="body2" component="span">
                {isBlockType(type) ? translate(`magnetiq.pages.blocks.types.${type}`) : String(type)}
                {first ? `: ${short(first).slice(0, 80)}` : ''}
              </Typography>
            </li>
          );
        })}
      </Box>
    );
  }
  if (field === 'parent_id' && typeof value === 'string') return <ParentValue id={value} />;
  if (field === 'status' && typeof value === 'string')
    return (
      <Typography variant="body2">{translate(`magnetiq.pages.status.${value}`, { _: value })}</Typography>
    );
  if (TIMESTAMPS.has(field) && typeof value === 'string')
    return <Typography variant="body2">{format(value)}</Typography>;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (
    <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {short(text)}
    </Typography>
  );
}

/** A field's name in the panel's language (its key where the panel has no name for it). */
export function useFieldLabel(): (field: string) => string {
  const translate = useTranslate();
  return (field) => translate(`resources.pages.fields.${field}`, { _: field });
}

/** A table: field, then one column per state. */
export function DiffTable({
  rows,
  columns,
  caption,
}: {
  rows: { field: string; values: unknown[]; note?: ReactNode }[];
  columns: string[];
  caption: string;
}) {
  const label = useFieldLabel();
  const translate = useTranslate();
  return (
    <Table size="small" sx={{ tableLayout: 'fixed', '& td, & th': { verticalAlign: 'top' } }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', padding: '0 0 8px' }}>{caption}</caption>
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col" sx={{ width: '22%' }}>
            {translate('magnetiq.pages.diff.field')}
          </TableCell>
          {columns.map((column) => (
            <TableCell key={column} component="th" scope="col">
              {column}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.field}>
            <TableCell component="th" scope="row">
              <Typography variant="body2" sx={{ fontWeight: 500 }}>
                {label(row.field)}
              </Typography>
              {row.note}
            </TableCell>
            {row.values.map((value, index) => (
              <TableCell key={index}>
                <FieldValue field={row.field} value={value} />
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
