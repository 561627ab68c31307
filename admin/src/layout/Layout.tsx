import PersonIcon from '@mui/icons-material/Person';
import type { ReactNode } from 'react';
import {
  AppBar,
  Layout as RaLayout,
  LoadingIndicator,
  Logout,
  MenuItemLink,
  TitlePortal,
  UserMenu,
  useBasename,
  useGetIdentity,
  useTranslate,
  useUserMenu,
} from 'react-admin';
import { LanguageSwitch, LanguageSync } from './LanguageSwitch.tsx';
import { Menu } from './Menu.tsx';
import { PermissionSync } from './PermissionSync.tsx';

function ProfileItem() {
  const translate = useTranslate();
  const menu = useUserMenu();
  const basename = useBasename();
  return (
    <MenuItemLink
      to={`${basename}/profile`}
      primaryText={translate('magnetiq.profile.title')}
      leftIcon={<PersonIcon />}
      onClick={() => menu?.onClose()}
    />
  );
}

function Bar() {
  // The button shows the user's name: its accessible name must contain that text (axe label-content-name-mismatch).
  const { identity } = useGetIdentity();
  const translate = useTranslate();
  // The spinner is a progressbar, which needs a name (axe aria-progressbar-name); its props reach it.
  const spinner = { 'aria-label': translate('magnetiq.states.loading') } as object;
  return (
    <AppBar
      toolbar={
        <>
          <LanguageSwitch />
          <LoadingIndicator {...spinner} />
        </>
      }
      userMenu={
        <UserMenu label={identity?.fullName ?? 'ra.auth.user_menu'}>
          <ProfileItem />
          <Logout />
        </UserMenu>
      }
    >
      <TitlePortal />
    </AppBar>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout appBar={Bar} menu={Menu}>
      <LanguageSync />
      <PermissionSync />
      {children}
    </RaLayout>
  );
}
