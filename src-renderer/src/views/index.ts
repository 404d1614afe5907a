import type { ComponentType } from 'react';
import { AboutView } from './AboutView';
import { JobsView } from './JobsView';
import { CacheView } from './CacheView';
import { SettingsView } from './SettingsView';

export interface View {
  readonly id: string;
  readonly label: string;
  readonly component: ComponentType;
}

/** The app's views, in navigation order. A new view is one entry here. */
export const VIEWS: readonly View[] = [
  { id: 'jobs', label: 'Jobs', component: JobsView },
  { id: 'cache', label: 'Cache', component: CacheView },
  { id: 'settings', label: 'Settings', component: SettingsView },
  { id: 'about', label: 'About', component: AboutView },
];
