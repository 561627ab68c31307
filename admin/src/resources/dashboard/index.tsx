// The start screen (the only module exporting a dashboard): what needs attention today.
import { Dashboard } from './Dashboard.tsx';

export { dashboardMessages as messages } from './messages.ts';

export const dashboard = () => <Dashboard />;
