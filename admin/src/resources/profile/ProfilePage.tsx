import { Box, Card, CardContent, CardHeader, LinearProgress, Stack } from '@mui/material';
import type { ReactNode } from 'react';
import { Authenticated, Title, useTranslate } from 'react-admin';
import { fitWidth } from '../users/layout.ts';
import { useMe } from '../users/me.ts';
import { DetailsForm } from './DetailsForm.tsx';
import { PasswordForm } from './PasswordForm.tsx';
import { Sessions } from './Sessions.tsx';
import { TwoFactor } from './TwoFactor.tsx';

export function Section({
  id,
  title,
  subheader,
  children,
}: {
  id: string;
  title: string;
  subheader?: string;
  children: ReactNode;
}) {
  return (
    <Card component="section" aria-labelledby={`${id}-title`}>
      <CardHeader
        title={title}
        subheader={subheader}
        slotProps={{ title: { id: `${id}-title`, component: 'h2', variant: 'h6' } }}
      />
      <CardContent sx={{ pt: 0 }}>{children}</CardContent>
    </Card>
  );
}

function Profile() {
  const translate = useTranslate();
  const me = useMe();
  if (!me) return <LinearProgress aria-label={translate('magnetiq.states.loading')} />;
  return (
    <Box sx={{ py: 2, maxWidth: 960, ...fitWidth }}>
      <Title title={translate('magnetiq.profile.title')} />
      <Stack spacing={2}>
        <Section id="profile-details" title={translate('magnetiq.profile.details')} subheader={me.user.email}>
          <DetailsForm key={me.user.version} user={me.user} />
        </Section>
        <Section id="profile-password" title={translate('magnetiq.profile.password')}>
          <PasswordForm email={me.user.email} />
        </Section>
        <Section id="profile-2fa" title={translate('magnetiq.profile.two_factor')}>
          <TwoFactor me={me} />
        </Section>
        <Section
          id="profile-sessions"
          title={translate('magnetiq.profile.sessions')}
          subheader={translate('magnetiq.profile.sessions_help')}
        >
          <Sessions />
        </Section>
      </Stack>
    </Box>
  );
}

/** Checked like every screen: the session is checked and /auth/me loaded again on the way in. */
export function ProfilePage() {
  return (
    <Authenticated>
      <Profile />
    </Authenticated>
  );
}
