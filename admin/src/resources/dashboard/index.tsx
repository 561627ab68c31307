// The start screen (the only module exporting a dashboard): what needs attention today.
import { lazyScreen } from '../lazy.tsx';

export { dashboardMessages as messages } from './messages.ts';

const Dashboard = lazyScreen(() => import('./Dashboard.tsx'), 'Dashboard');

export const dashboard = () => <Dashboard />;
