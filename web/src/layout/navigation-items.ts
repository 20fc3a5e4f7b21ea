import {
  type Icon,
  IconBuildingSkyscraper,
  IconDeviceMobileMessage,
  IconGitBranch,
  IconId,
  IconLayoutDashboard,
  IconMessages,
  IconPlugConnected,
  IconReceipt2,
  IconSettings,
  IconSpeakerphone,
  IconUsers,
} from '@tabler/icons-react';
import type { Session } from '../api/api-client';
import { canManageTenants, canManageUsers } from '../auth/permissions';
import { canSendMessages } from '../features/channels/channel-permissions';
import { canViewFlows } from '../features/flows/flow-permissions';

export type ModuleKey =
  | 'dashboard'
  | 'conversations'
  | 'sandbox'
  | 'flows'
  | 'campaigns'
  | 'channels'
  | 'expenses'
  | 'onboarding'
  | 'users'
  | 'tenants'
  | 'settings';

/** Modules that only have a "coming soon" page for now. */
export type PlaceholderModuleKey = Exclude<
  ModuleKey,
  | 'dashboard'
  | 'conversations'
  | 'sandbox'
  | 'flows'
  | 'channels'
  | 'expenses'
  | 'users'
  | 'tenants'
>;

export type NavigationItem = {
  key: ModuleKey;
  path: string;
  icon: Icon;
  group: 'operation' | 'administration';
  /** Hidden from users this returns false for (the route is guarded too). */
  isVisibleTo?: (session: Session) => boolean;
};

export const navigationItems: readonly NavigationItem[] = [
  { key: 'dashboard', path: '/', icon: IconLayoutDashboard, group: 'operation' },
  { key: 'conversations', path: '/conversations', icon: IconMessages, group: 'operation' },
  {
    key: 'sandbox',
    path: '/sandbox',
    icon: IconDeviceMobileMessage,
    group: 'operation',
    isVisibleTo: canSendMessages,
  },
  {
    key: 'flows',
    path: '/flows',
    icon: IconGitBranch,
    group: 'operation',
    isVisibleTo: canViewFlows,
  },
  { key: 'campaigns', path: '/campaigns', icon: IconSpeakerphone, group: 'operation' },
  { key: 'channels', path: '/channels', icon: IconPlugConnected, group: 'operation' },
  { key: 'expenses', path: '/expenses', icon: IconReceipt2, group: 'operation' },
  { key: 'onboarding', path: '/onboarding', icon: IconId, group: 'operation' },
  {
    key: 'users',
    path: '/users',
    icon: IconUsers,
    group: 'administration',
    isVisibleTo: canManageUsers,
  },
  {
    key: 'tenants',
    path: '/tenants',
    icon: IconBuildingSkyscraper,
    group: 'administration',
    isVisibleTo: canManageTenants,
  },
  { key: 'settings', path: '/settings', icon: IconSettings, group: 'administration' },
];

export const placeholderModules: readonly { key: PlaceholderModuleKey; path: string }[] = [
  { key: 'campaigns', path: '/campaigns' },
  { key: 'onboarding', path: '/onboarding' },
  { key: 'settings', path: '/settings' },
];

export function isNavigationItemActive(item: NavigationItem, pathname: string): boolean {
  if (item.path === '/') return pathname === '/';
  return pathname === item.path || pathname.startsWith(`${item.path}/`);
}
