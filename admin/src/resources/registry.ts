// Every area of the panel, in menu order. An area is a module of its own under resources/; adding one is a line
// here.
import type { Bilingual } from '../i18n/messages.ts';
import { shellMessages } from '../i18n/shell.ts';
import type { PanelArea } from './types.ts';

export const areas: PanelArea[] = [];

export const panelMessages: Bilingual[] = [shellMessages, ...areas.map((area) => area.messages)];
