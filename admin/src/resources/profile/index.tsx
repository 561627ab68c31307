// The signed-in user's own profile at /admin/profile (the app bar's user menu links there): names, language,
// time zone, password, sessions and two-factor authentication.
import { Route } from 'react-router-dom';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const ProfilePage = lazyScreen(() => import('./ProfilePage.tsx'), 'ProfilePage');

export const customRoutes = [<Route key="profile" path="/profile" element={<ProfilePage />} />];
