import type { ComponentType, ReactElement } from 'react';
import type { Bilingual } from '../i18n/messages.ts';

/** Where a screen sits in the menu. */
export type MenuGroup = 'content' | 'scheduling' | 'people' | 'system';

/**
 * One area of the panel, as its own module declares it (resources/<name>/index.tsx): its react-admin resource
 * (if it has one), the extra routes it owns, its messages in both languages, and where the menu shows it.
 */
export interface PanelArea {
  /** The resource name (as in the URL: /admin/<name>) and in canAccess. */
  name: string;
  group: MenuGroup;
  icon: ComponentType;
  messages: Bilingual;
  list?: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  show?: ComponentType;
  /** Routes of its own under /admin/<name>/… (a tree, a week view), rendered inside the layout. */
  routes?: ReactElement[];
  /** Shown in the menu (default: when it has a list). */
  menu?: boolean;
}
