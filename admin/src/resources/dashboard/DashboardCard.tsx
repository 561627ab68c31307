// One card of the dashboard: a heading with a count, its own loading, error (the API's message, with a retry)
// and empty state, and a link to the screen that shows everything.
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Link,
  Skeleton,
  Stack,
  Typography,
} from '@mui/material';
import type { UseQueryResult } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { useBasename, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';

export interface CardLink {
  /** A path inside the panel, e.g. "/bookings". */
  to: string;
  label: string;
}

export function DashboardCard<T>({
  title,
  icon,
  query,
  count,
  isEmpty,
  empty,
  link,
  children,
}: {
  title: string;
  icon: ReactNode;
  query: UseQueryResult<T>;
  /** The number shown next to the title (e.g. the total). */
  count?: (data: T) => number | null;
  isEmpty: (data: T) => boolean;
  /** The sentence shown when there is nothing (all is well). */
  empty: string;
  link: CardLink;
  children: (data: T) => ReactNode;
}) {
  const translate = useTranslate();
  const basename = useBasename();
  const headingId = useId();
  const total = query.data !== undefined && count ? count(query.data) : null;
  return (
    <Card
      component="section"
      aria-labelledby={headingId}
      variant="outlined"
      sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}
    >
      <CardContent sx={{ flex: 1 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1.5 }}>
          <Box sx={{ color: 'primary.main', display: 'flex' }} aria-hidden>
            {icon}
          </Box>
          <Typography variant="h6" component="h2" id={headingId} sx={{ flex: 1, fontSize: '1.05rem' }}>
            {title}
          </Typography>
          {total !== null && total > 0 && <Chip size="small" label={total} color="primary" />}
        </Stack>
        {query.isPending ? (
          <Box role="status" aria-label={translate('magnetiq.states.loading')}>
            <Skeleton height={24} />
            <Skeleton height={24} />
            <Skeleton height={24} width="60%" />
          </Box>
        ) : query.isError ? (
          <Alert
            severity="error"
            action={
              <Button color="inherit" size="small" onClick={() => void query.refetch()}>
                {translate('magnetiq.states.retry')}
              </Button>
            }
          >
            {query.error instanceof Error ? query.error.message : translate('magnetiq.states.error')}
          </Alert>
        ) : isEmpty(query.data) ? (
          <Typography variant="body2" color="text.secondary" role="status">
            {empty}
          </Typography>
        ) : (
          children(query.data)
        )}
      </CardContent>
      <CardActions sx={{ px: 2, pb: 1.5 }}>
        <Link component={RouterLink} to={`${basename}${link.to}`} variant="body2">
          {link.label}
        </Link>
      </CardActions>
    </Card>
  );
}

/** A compact list of entries, each a line with an optional second line. */
export function EntryList({
  entries,
}: {
  entries: { key: string; primary: ReactNode; secondary?: ReactNode; to?: string; aside?: ReactNode }[];
}) {
  const basename = useBasename();
  return (
    <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {entries.map((entry) => (
        <Box
          component="li"
          key={entry.key}
          sx={{
            display: 'flex',
            gap: 1,
            alignItems: 'flex-start',
            py: 0.75,
            borderTop: 1,
            borderColor: 'divider',
            '&:first-of-type': { borderTop: 0, pt: 0 },
          }}
        >
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
              {entry.to ? (
                <Link component={RouterLink} to={`${basename}${entry.to}`}>
                  {entry.primary}
                </Link>
              ) : (
                entry.primary
              )}
            </Typography>
            {entry.secondary && (
              <Typography
                variant="caption"
                color="text.secondary"
                component="div"
                sx={{ overflowWrap: 'anywhere' }}
              >
                {entry.secondary}
              </Typography>
            )}
          </Box>
          {entry.aside}
        </Box>
      ))}
    </Box>
  );
}
