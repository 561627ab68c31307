// The signed-in user's own profile at /admin/profile (the app bar's user menu links there): names, language,
// time zone, password, sessions and two-factor authentication.
import { Route } from 'react-router-dom';
import { ProfilePage } from './ProfilePage.tsx';

export { messages } from './messages.ts';

export const customRoutes = [<Route key="profile" path="/profile" element={<ProfilePage />} />];
