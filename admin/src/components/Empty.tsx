// What a list shows when it has nothing: a sentence in the user's language and, where the user may, the way to
// make the first one. (Loading and errors are react-admin's: a progress bar, and the API's message.)
import InboxIcon from '@mui/icons-material/Inbox';
import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { CreateButton, useCanAccess, useResourceContext, useTranslate } from 'react-admin';

/** `actions`: what to offer instead of the create button (`null` or `false`: nothing). */
export function Empty({ message, actions }: { message?: string; actions?: ReactNode }) {
  const translate = useTranslate();
  const resource = useResourceContext();
  const { canAccess } = useCanAccess({ resource: resource ?? '', action: 'create' });
  return (
    <Box sx={{ textAlign: 'center', py: 8, px: 2, color: 'text.secondary' }} role="status">
      <InboxIcon sx={{ fontSize: 64, opacity: 0.5 }} aria-hidden />
      <Typography variant="h6" component="p" sx={{ mt: 1 }}>
        {message ?? translate('magnetiq.states.empty')}
      </Typography>
      <Box sx={{ mt: 2 }}>
        {actions !== undefined ? actions : canAccess ? <CreateButton variant="contained" /> : null}
      </Box>
    </Box>
  );
}
