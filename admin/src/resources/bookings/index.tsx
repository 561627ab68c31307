// Bookings: the list with filters, the week calendar (/admin/bookings/week) and the detail with notes and the
// lifecycle actions.
import EventIcon from '@mui/icons-material/Event';
import { Route } from 'react-router-dom';
import type { PanelArea } from '../types.ts';
import './api.ts';
import { BookingList } from './BookingList.tsx';
import { BookingShow } from './BookingShow.tsx';
import { BookingWeek } from './BookingWeek.tsx';

export { bookingMessages as messages } from './messages.ts';

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
