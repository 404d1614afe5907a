import type { ComponentType } from 'react';
import { AboutView } from './AboutView';
import { BuildView } from './BuildView';
import { ComposeView } from './ComposeView';
import { JobsView } from './JobsView';
import { ImagesView } from './ImagesView';
import { PlanView } from './PlanView';
import { PushView } from './PushView';
import { CacheView } from './CacheView';
import { SettingsView } from './SettingsView';

export interface View {
  readonly id: string;
  readonly label: string;
  readonly component: ComponentType;
}

/** The app's views, in navigation order. A new view is one entry here. */
export const VIEWS: readonly View[] = [
  { id: 'compose', label: 'Compose', component: ComposeView },
  { id: 'plan', label: 'Plan', component: PlanView },
  { id: 'build', label: 'Build', component: BuildView },
  { id: 'push', label: 'Push', component: PushView },
  { id: 'jobs', label: 'Jobs', component: JobsView },
  { id: 'images', label: 'Images', component: ImagesView },
  { id: 'cache', label: 'Cache', component: CacheView },
  { id: 'settings', label: 'Settings', component: SettingsView },
  { id: 'about', label: 'About', component: AboutView },
];
