// Every setting, grouped by category (a tab each): what it does in the user's language, its key, its value
// (a sensitive one masked), and an edit dialog built from its data_type and JSON schema. Sensitive values are
// never shown: "Replace" opens an empty input.
import EditIcon from '@mui/icons-material/Edit';
import KeyIcon from '@mui/icons-material/Key';
import {
  Alert,
  Box,
  Button,
  Card,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  List,
  ListItem,
  Stack,
  Tab,
  Tabs,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Title, useCanAccess, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { api, ApiError } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { errorText } from '../../components/ConfirmAction.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { fitWidth } from '../users/layout.ts';
import {
  draftOf,
  parseDraft,
  SettingEditor,
  useProblemText,
  type Draft,
  type Setting,
} from './SettingEditor.tsx';

const SETTINGS_KEY = ['magnetiq', 'settings'];
/** Shown first; the rest alphabetically, uncategorised last. */
const FIRST = ['general', 'website', 'localization', 'mail', 'security', 'booking', 'media'];
const OTHER = '_other';

function categoryOrder(a: string, b: string): number {
  const rank = (category: string) => {
    const index = FIRST.indexOf(category);
    return index >= 0 ? index : category === OTHER ? 1000 : 100;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function useDescription(): (setting: Setting) => string {
  const [locale] = useLocaleState();
  return (setting) => (locale === 'de' ? setting.description.de : setting.description.en) || setting.key;
}

function Value({ setting }: { setting: Setting }) {
  const translate = useTranslate();
  const { value } = setting;
  if (setting.is_sensitive) {
    return (
      <Chip
        size="small"
        icon={<KeyIcon />}
        variant="outlined"
        label={translate(setting.is_set ? 'magnetiq.settings.masked' : 'magnetiq.settings.not_set')}
      />
    );
  }
  if (value === null || value === undefined) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>
        {translate('magnetiq.settings.not_set')}
      </Typography>
    );
  }
  if (typeof value === 'boolean') {
    return (
      <Chip
        size="small"
        color={value ? 'success' : 'default'}
        label={translate(value ? 'magnetiq.settings.on' : 'magnetiq.settings.off')}
      />
    );
  }
  const strings =
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
      ? (value as Record<string, string>)
      : null;
  const text =
    typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? value.join(', ') || '—'
        : strings
          ? Object.entries(strings)
              .map(([key, entry]) => `${key}: ${entry}`)
              .join(' · ')
          : JSON.stringify(value);
  return (
    <Typography
      variant="body2"
      sx={{
        fontFamily: typeof value === 'object' && !strings ? 'monospace' : undefined,
        wordBreak: 'break-word',
      }}
    >
      {text.length > 160 ? `${text.slice(0, 160)}…` : text}
    </Typography>
  );
}

function EditDialog({ setting, onClose }: { setting: Setting; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const describe = useDescription();
  const problemText = useProblemText();
  const replacing = setting.is_sensitive;
  const [draft, setDraft] = useState<Draft>(() => draftOf(setting, setting.value, replacing));
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<{ message: string; reasons: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseDraft(draft, setting);
  // JSON is checked as it is typed; other inputs once the person tried to save.
  const problem =
    !parsed.ok && (tried || draft.kind === 'json') && !(draft.kind === 'json' && draft.text === '')
      ? problemText(parsed.problem)
      : null;
  const canReset =
    !replacing &&
    setting.default_value !== null &&
    JSON.stringify(setting.default_value) !== JSON.stringify(setting.value);

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setTried(true);
    if (!parsed.ok) return;
    setBusy(true);
    setError(null);
    // The version as last read (a conflict below reloads it).
    const current = queryClient
      .getQueryData<Answer<'listSettings'>>(SETTINGS_KEY)
      ?.items.find((item) => item.key === setting.key);
    try {
      const saved = await api<Setting>('PUT', `/settings/${encodeURIComponent(setting.key)}`, {
        body: { value: parsed.value, version: current?.version ?? setting.version },
      });
      queryClient.setQueryData<Answer<'listSettings'>>(SETTINGS_KEY, (old) =>
        old ? { items: old.items.map((item) => (item.key === saved.key ? saved : item)) } : old,
      );
      notify('magnetiq.settings.saved', { type: 'success', messageArgs: { name: describe(setting) } });
      onClose();
    } catch (failure) {
      const reasons =
        failure instanceof ApiError
          ? failure.details.map((detail) => `${detail.field ?? ''}: ${detail.message}`)
          : [];
      setError({ message: errorText(failure), reasons });
      if (failure instanceof ApiError && failure.status === 409) {
        await queryClient.invalidateQueries({ queryKey: SETTINGS_KEY });
      }
      setBusy(false);
    }
  };

  const label = translate(replacing ? 'magnetiq.settings.new_value' : 'magnetiq.settings.value');
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="setting-dialog-title">
      <Box component="form" onSubmit={(event) => void save(event)} noValidate>
        <DialogTitle id="setting-dialog-title">{describe(setting)}</DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            <Typography variant="body2" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
              {setting.key}
            </Typography>
            {replacing && (
              <Alert severity="info">
                {translate(
                  setting.is_set ? 'magnetiq.settings.replace_help' : 'magnetiq.settings.set_secret_help',
                )}
              </Alert>
            )}
            {error && (
              <Alert severity="error" role="alert">
                {error.message}
                {error.reasons.length > 0 && (
                  <Box component="ul" sx={{ m: 0, pl: 2 }}>
                    {error.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </Box>
                )}
              </Alert>
            )}
            <SettingEditor
              setting={setting}
              draft={draft}
              onChange={(next) => {
                setDraft(next);
                setError(null);
              }}
              label={label}
              secret={replacing && setting.data_type === 'string'}
              problem={problem}
            />
            {setting.is_public && (
              <Typography variant="body2" color="text.secondary">
                {translate('magnetiq.settings.public_hint')}
              </Typography>
            )}
          </Stack>
        </DialogContent>
        <DialogActions sx={{ flexWrap: 'wrap' }}>
          {canReset && (
            <Button
              sx={{ mr: 'auto' }}
              onClick={() => {
                setDraft(draftOf(setting, setting.default_value));
              }}
            >
              {translate('magnetiq.settings.use_default')}
            </Button>
          )}
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || (!parsed.ok && (tried || problem !== null))}
          >
            {translate('ra.action.save')}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

function SettingRow({
  setting,
  canEdit,
  onEdit,
}: {
  setting: Setting;
  canEdit: boolean;
  onEdit: () => void;
}) {
  const translate = useTranslate();
  const describe = useDescription();
  const format = useFormatDateTime();
  const name = describe(setting);
  return (
    <ListItem
      divider
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 5fr) minmax(0, 4fr) auto' },
        gap: 2,
        alignItems: 'center',
        py: 1.5,
      }}
    >
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body1" component="h3">
          {name}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
          {setting.key}
        </Typography>
        {setting.updated_by !== null && (
          <Typography variant="caption" color="text.secondary" component="p">
            {translate('magnetiq.settings.changed_at', { date: format(setting.updated_at) })}
          </Typography>
        )}
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <Value setting={setting} />
      </Box>
      <Box>
        {canEdit && (
          <Button
            size="small"
            variant="outlined"
            startIcon={setting.is_sensitive ? <KeyIcon /> : <EditIcon />}
            aria-label={`${translate(setting.is_sensitive ? 'magnetiq.settings.replace' : 'ra.action.edit')}: ${name}`}
            onClick={onEdit}
          >
            {translate(setting.is_sensitive ? 'magnetiq.settings.replace' : 'ra.action.edit')}
          </Button>
        )}
      </Box>
    </ListItem>
  );
}

export function SettingsPage() {
  const translate = useTranslate();
  const { canAccess: canEdit = false } = useCanAccess({ resource: 'settings', action: 'edit' });
  const settings = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => api<Answer<'listSettings'>>('GET', '/settings', { signal }),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const title = <Title title={translate('resources.settings.name', { smart_count: 2 })} />;
  if (settings.isPending) {
    return (
      <Box sx={{ py: 2, ...fitWidth }}>
        {title}
        <LinearProgress aria-label={translate('magnetiq.states.loading')} />
      </Box>
    );
  }
  if (settings.isError) {
    return (
      <Box sx={{ py: 2, ...fitWidth }}>
        {title}
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} sx={{ m: 0 }} />
      </Box>
    );
  }

  const groups = new Map<string, Setting[]>();
  for (const setting of settings.data.items) {
    const category = setting.category ?? OTHER;
    groups.set(category, [...(groups.get(category) ?? []), setting]);
  }
  const categories = [...groups.keys()].sort(categoryOrder);
  const category = chosen && groups.has(chosen) ? chosen : (categories[0] ?? null);
  const editedSetting = settings.data.items.find((setting) => setting.key === editing);
  const categoryLabel = (name: string) =>
    translate(`magnetiq.settings.categories.${name}`, { _: name.charAt(0).toUpperCase() + name.slice(1) });

  return (
    <Box sx={{ py: 2, ...fitWidth }}>
      {title}
      {category === null ? (
        <Typography role="status" sx={{ p: 4, textAlign: 'center' }} color="text.secondary">
          {translate('magnetiq.settings.none')}
        </Typography>
      ) : (
        <Card>
          <Tabs
            value={category}
            onChange={(_event, value: string) => {
              setChosen(value);
            }}
            variant="scrollable"
            scrollButtons="auto"
            allowScrollButtonsMobile
            aria-label={translate('magnetiq.settings.categories_label')}
            sx={{ borderBottom: 1, borderColor: 'divider' }}
          >
            {categories.map((name) => (
              <Tab
                key={name}
                value={name}
                id={`settings-tab-${name}`}
                aria-controls="settings-panel"
                label={`${categoryLabel(name)} (${groups.get(name)?.length ?? 0})`}
              />
            ))}
          </Tabs>
          <Box role="tabpanel" id="settings-panel" aria-labelledby={`settings-tab-${category}`}>
            <List disablePadding aria-label={categoryLabel(category)}>
              {(groups.get(category) ?? []).map((setting) => (
                <SettingRow
                  key={setting.key}
                  setting={setting}
                  canEdit={canEdit}
                  onEdit={() => {
                    setEditing(setting.key);
                  }}
                />
              ))}
            </List>
          </Box>
        </Card>
      )}
      {editedSetting && (
        <EditDialog
          key={editedSetting.key}
          setting={editedSetting}
          onClose={() => {
            setEditing(null);
          }}
        />
      )}
    </Box>
  );
}
