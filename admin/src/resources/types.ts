import type { ComponentType, ReactElement } from 'react';
import type { Bilingual } from '../i18n/messages.ts';

/** Where a screen sits in the menu. */
export type MenuGroup = 'content' | 'scheduling' | 'people' | 'system';

/**
 * One area of the panel, as its own module declares it: its react-admin resource (if it has one), the extra
 * routes it owns, where the menu shows it. Messages are the module's (see PanelModule).
 */
export interface PanelArea {
  /** The resource name (as in the URL: /admin/<name>) and in canAccess. */
  name: string;
  group: MenuGroup;
  /** Position in its menu group (smaller first). */
  order: number;
  icon: ComponentType;
  list?: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  show?: ComponentType;
  /** Routes of its own under /admin/<name>/… (a tree, a week view), rendered inside the layout. */
  routes?: ReactElement[];
  /** Shown in the menu (default: when it has a list). */
  menu?: boolean;
}

/**
 * What a module under resources/<dir>/index.tsx exports; the registry finds every such module by itself, so
 * adding an area touches no shared file.
 */
export interface PanelModule {
  areas?: PanelArea[];
  /** Its messages in both languages (keys under resources.<name>.* and magnetiq.<area>.*). */
  messages?: Bilingual;
  /** Screens at the top level of /admin (e.g. /admin/profile), inside the layout. */
  customRoutes?: ReactElement[];
  /** The start screen (one module only). */
  dashboard?: () => ReactElement;
}
