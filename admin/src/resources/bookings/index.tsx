// Bookings: the list with filters, the week calendar (/admin/bookings/week) and the detail with notes and the
// lifecycle actions.
import EventIcon from '@mui/icons-material/Event';
import { Route } from 'react-router-dom';
import type { PanelArea } from '../types.ts';
import './api.ts';

export { bookingMessages as messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const BookingList = lazyScreen(() => import('./BookingList.tsx'), 'BookingList');
const BookingShow = lazyScreen(() => import('./BookingShow.tsx'), 'BookingShow');
const BookingWeek = lazyScreen(() => import('./BookingWeek.tsx'), 'BookingWeek');

export const areas: PanelArea[] = [
  {
    name: 'bookings',
    group: 'scheduling',
    order: 20,
    icon: EventIcon,
    list: BookingList,
    show: BookingShow,
    routes: [<Route key="week" path="week" element={<BookingWeek />} />],
  },
];
