// Every area of the panel: each module under resources/<dir>/index.tsx, found by Vite at build time, exports
// what it adds (PanelModule). Adding an area touches no shared file.
import type { ReactElement } from 'react';
import type { Bilingual } from '../i18n/messages.ts';
import { shellMessages } from '../i18n/shell.ts';
import type { PanelArea, PanelModule } from './types.ts';

const modules = Object.values(import.meta.glob<PanelModule>('./*/index.tsx', { eager: true }));

export const areas: PanelArea[] = modules
  .flatMap((module) => module.areas ?? [])
  .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));

export const panelMessages: Bilingual[] = [
  shellMessages,
  ...modules.flatMap((module) => (module.messages ? [module.messages] : [])),
];

export const customRoutes: ReactElement[] = modules.flatMap((module) => module.customRoutes ?? []);

const dashboards = modules.flatMap((module) => (module.dashboard ? [module.dashboard] : []));
if (dashboards.length > 1) throw new Error('more than one panel module exports a dashboard');
export const dashboard = dashboards[0];
