// A user's permission grants beyond their role: each globally or on one resource, until a time or for good.
// Granting needs users.manage and the permission itself (the API refuses otherwise, in words shown here).
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormLabel,
  IconButton,
  LinearProgress,
  ListItemText,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Confirm, useNotify, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer, Body, User } from '../../api/types.ts';
import { holds } from '../../auth/session.ts';
import { useFormatDateTime, userTimeZone } from '../../components/DateTime.tsx';
import { isoToZoned, zonedToIso } from '../profile/timeZones.ts';
import { ToneChip } from '../operations/StatusChip.tsx';
import { visuallyHidden } from './a11y.ts';
import { asText, errorText } from '../../components/ConfirmAction.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useMe } from './me.ts';
import { ResourceName, ResourceSearch, searchable } from './resources.tsx';

type Grant = Answer<'listUserGrants'>['items'][number];
type Catalogue = Answer<'listPermissions'>;
type Translate = (key: string, options?: object) => string;

/** A permission in the user's language ("pages.write" → "Create and edit pages"). */
export function permissionLabel(translate: Translate, name: string, fallback?: string): string {
  return translate(`magnetiq.permissions.${name.replace('.', '_')}`, { _: fallback ?? name });
}

export function useCatalogue() {
  return useQuery({
    queryKey: ['magnetiq', 'permissions'],
    staleTime: 5 * 60_000,
    queryFn: ({ signal }) => api<Catalogue>('GET', '/permissions', { signal }),
  });
}

const grantsKey = (userId: string) => ['magnetiq', 'user-grants', userId];

export function Grants({ user, canManage }: { user: User; canManage: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const catalogue = useCatalogue();
  const grants = useQuery({
    queryKey: grantsKey(user.id),
    queryFn: ({ signal }) =>
      api<Answer<'listUserGrants'>>('GET', `/users/${user.id}/permissions`, { signal }),
  });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Grant | null>(null);
  const [busy, setBusy] = useState(false);
  const rolePermissions = catalogue.data?.roles[user.role] ?? [];
  const description = (name: string) => catalogue.data?.permissions.find((p) => p.name === name)?.description;
  const editable = canManage && !user.deleted_at;

  const remove = async (grant: Grant) => {
    setBusy(true);
    try {
      await api('DELETE', `/users/${user.id}/permissions/${grant.id}`);
      notify('magnetiq.grants.removed', {
        type: 'success',
        messageArgs: {
          permission: permissionLabel(translate, grant.permission, description(grant.permission)),
        },
      });
      await queryClient.invalidateQueries({ queryKey: grantsKey(user.id) });
    } catch (error) {
      const text = errorText(error);
      notify(text, { type: 'error', ...asText(text) });
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };

  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Box>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          {translate('magnetiq.grants.role_title', {
            role: translate(`magnetiq.users.roles.${user.role}`),
          })}
        </Typography>
        {catalogue.isPending ? (
          <LinearProgress aria-label={translate('magnetiq.states.loading')} sx={{ my: 1 }} />
        ) : catalogue.isError ? (
          <Alert severity="error">{catalogue.error.message}</Alert>
        ) : (
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mt: 1 }}>
            {rolePermissions.length === 0 ? (
              <Typography variant="body2">{translate('magnetiq.grants.role_none')}</Typography>
            ) : (
              rolePermissions.map((name) => (
                <Chip key={name} size="small" variant="outlined" label={permissionLabel(translate, name)} />
              ))
            )}
          </Box>
        )}
      </Box>

      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 2 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          {translate('magnetiq.grants.title')}
        </Typography>
        {editable && (
          <Button
            variant="contained"
            size="small"
            startIcon={<AddIcon />}
            onClick={() => {
              setAdding(true);
            }}
          >
            {translate('magnetiq.grants.add')}
          </Button>
        )}
      </Box>

      {grants.isPending ? (
        <LinearProgress aria-label={translate('magnetiq.states.loading')} />
      ) : grants.isError ? (
        <LoadError error={grants.error} onRetry={() => void grants.refetch()} sx={{ m: 0 }} />
      ) : grants.data.items.length === 0 ? (
        <Typography variant="body2" color="text.secondary" role="status">
          {translate('magnetiq.grants.none')}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label={translate('magnetiq.grants.title')}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('magnetiq.grants.permission')}</TableCell>
                <TableCell>{translate('magnetiq.grants.scope')}</TableCell>
                <TableCell>{translate('magnetiq.grants.expires')}</TableCell>
                <TableCell>{translate('magnetiq.grants.granted_at')}</TableCell>
                {editable && (
                  <TableCell>
                    <Box component="span" sx={visuallyHidden}>
                      {translate('magnetiq.grants.actions')}
                    </Box>
                  </TableCell>
                )}
              </TableRow>
            </TableHead>
            <TableBody>
              {grants.data.items.map((grant) => {
                const label = permissionLabel(translate, grant.permission, description(grant.permission));
                return (
                  <TableRow key={grant.id} sx={grant.active ? undefined : { opacity: 0.7 }}>
                    <TableCell>
                      <ListItemText
                        primary={label}
                        secondary={grant.permission}
                        slotProps={{ secondary: { sx: { fontFamily: 'monospace' } } }}
                      />
                    </TableCell>
                    <TableCell>
                      {grant.resource ? (
                        <ResourceName resource={grant.resource} />
                      ) : (
                        translate('magnetiq.grants.everywhere')
                      )}
                    </TableCell>
                    <TableCell>
                      {grant.expires_at ? (
                        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                          <time dateTime={grant.expires_at}>{format(grant.expires_at)}</time>
                          {!grant.active && (
                            <ToneChip tone="warning" label={translate('magnetiq.grants.expired')} />
                          )}
                        </Stack>
                      ) : (
                        translate('magnetiq.grants.never')
                      )}
                    </TableCell>
                    <TableCell>
                      <time dateTime={grant.granted_at}>{format(grant.granted_at)}</time>
                    </TableCell>
                    {editable && (
                      <TableCell align="right">
                        <Tooltip title={translate('magnetiq.grants.remove')}>
                          <IconButton
                            size="small"
                            aria-label={`${translate('magnetiq.grants.remove')}: ${label}`}
                            disabled={busy}
                            onClick={() => {
                              setRemoving(grant);
                            }}
                          >
                            <DeleteIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Box>
      )}

      {adding && catalogue.data && (
        <AddGrant
          user={user}
          catalogue={catalogue.data}
          onClose={() => {
            setAdding(false);
          }}
        />
      )}
      <Confirm
        isOpen={removing !== null}
        loading={busy}
        title="magnetiq.grants.remove_title"
        content="magnetiq.grants.remove_content"
        contentTranslateOptions={{
          permission: removing
            ? permissionLabel(translate, removing.permission, description(removing.permission))
            : '',
        }}
        onConfirm={() => {
          if (removing) void remove(removing);
        }}
        onClose={() => {
          setRemoving(null);
        }}
      />
    </Stack>
  );
}

function AddGrant({ user, catalogue, onClose }: { user: User; catalogue: Catalogue; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const me = useMe();
  const zone = userTimeZone();
  const [permission, setPermission] = useState('');
  const [scope, setScope] = useState<'all' | 'one'>('all');
  const [kind, setKind] = useState('');
  const [target, setTarget] = useState<{ id: string; label: string } | null>(null);
  const [typed, setTyped] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const inRole = new Set(catalogue.roles[user.role] ?? []);
  const kinds = permission ? catalogue.scopable[permission] : undefined;
  const chosenKind = kinds && kinds.length > 0 ? kind || (kinds[0] ?? '') : '';
  const resource =
    scope === 'one'
      ? chosenKind && searchable(chosenKind)
        ? target
          ? `${chosenKind}:${target.id}`
          : ''
        : chosenKind
          ? typed.trim() && `${chosenKind}:${typed.trim()}`
          : typed.trim()
      : '';
  const expiresIso = expires ? zonedToIso(expires, zone) : null;
  const ready = permission !== '' && (scope === 'all' || resource !== '') && (expires === '' || expiresIso);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    const body: Body<'createUserGrant'> = {
      permission: permission as Body<'createUserGrant'>['permission'],
      ...(scope === 'one' ? { resource } : {}),
      ...(expiresIso ? { expires_at: expiresIso } : {}),
    };
    try {
      const answer = await api<Answer<'createUserGrant'>>('POST', `/users/${user.id}/permissions`, { body });
      queryClient.setQueryData(grantsKey(user.id), answer);
      notify('magnetiq.grants.added', {
        type: 'success',
        messageArgs: { permission: permissionLabel(translate, permission) },
      });
      onClose();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="add-grant-title">
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="add-grant-title">{translate('magnetiq.grants.add_title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {error && (
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            )}
            <TextField
              select
              required
              autoFocus
              label={translate('magnetiq.grants.permission')}
              value={permission}
              onChange={(event) => {
                setPermission(event.target.value);
                setScope('all');
                setKind('');
                setTarget(null);
                setTyped('');
              }}
              slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 400 } } } } } }}
            >
              {catalogue.permissions.map(({ name, description }) => {
                const mine = holds(me, name, false);
                const included = inRole.has(name);
                return (
                  <MenuItem key={name} value={name} disabled={!mine || included}>
                    <ListItemText
                      primary={permissionLabel(translate, name, description)}
                      secondary={
                        included
                          ? translate('magnetiq.grants.in_role')
                          : !mine
                            ? translate('magnetiq.grants.not_yours')
                            : name
                      }
                    />
                  </MenuItem>
                );
              })}
            </TextField>

            {kinds && (
              <FormControl>
                <FormLabel id="grant-scope">{translate('magnetiq.grants.scope')}</FormLabel>
                <RadioGroup
                  aria-labelledby="grant-scope"
                  value={scope}
                  onChange={(event) => {
                    setScope(event.target.value === 'one' ? 'one' : 'all');
                  }}
                >
                  <FormControlLabel
                    value="all"
                    control={<Radio />}
                    label={translate('magnetiq.grants.everywhere')}
                  />
                  <FormControlLabel
                    value="one"
                    control={<Radio />}
                    label={translate('magnetiq.grants.one_resource')}
                  />
                </RadioGroup>
              </FormControl>
            )}

            {scope === 'one' && kinds && (
              <>
                {kinds.length > 1 && (
                  <TextField
                    select
                    label={translate('magnetiq.grants.kind')}
                    value={chosenKind}
                    onChange={(event) => {
                      setKind(event.target.value);
                      setTarget(null);
                    }}
                  >
                    {kinds.map((option) => (
                      <MenuItem key={option} value={option}>
                        {translate(`magnetiq.grants.kinds.${option}`, { _: option })}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
                {chosenKind && searchable(chosenKind) ? (
                  <ResourceSearch key={chosenKind} kind={chosenKind} value={target} onChange={setTarget} />
                ) : (
                  <TextField
                    required
                    label={translate('magnetiq.grants.resource')}
                    helperText={translate('magnetiq.grants.resource_help', {
                      example: chosenKind ? `${chosenKind}:<id>` : 'kind:<id>',
                    })}
                    value={typed}
                    onChange={(event) => {
                      setTyped(event.target.value);
                    }}
                  />
                )}
              </>
            )}

            <TextField
              type="datetime-local"
              label={translate('magnetiq.grants.expires')}
              value={expires}
              onChange={(event) => {
                setExpires(event.target.value);
              }}
              helperText={translate('magnetiq.grants.expires_help', { zone })}
              slotProps={{
                inputLabel: { shrink: true },
                htmlInput: { min: isoToZoned(new Date().toISOString(), zone) },
              }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={!ready || busy}>
            {translate('magnetiq.grants.grant')}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
