// System settings, grouped by category, each edited by a form built from its data_type and JSON schema.
import SettingsIcon from '@mui/icons-material/Settings';
import type { PanelArea } from '../types.ts';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const SettingsPage = lazyScreen(() => import('./SettingsPage.tsx'), 'SettingsPage');

export const areas: PanelArea[] = [
  { name: 'settings', group: 'system', order: 10, icon: SettingsIcon, list: SettingsPage },
];
