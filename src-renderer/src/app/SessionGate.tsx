import { Center, Stack } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { TwoFactorRequiredScreen } from '../features/account/components/TwoFactorRequiredScreen';
import { CenteredLoader } from '../components/CenteredLoader';
import { QueryError } from '../components/QueryError';
import { SessionContext, startScreenAfterLeaving, useSessionQuery } from '../lib/auth';

/** The start screens without a session, the shell with one; the only place that moves a window between them. */
export function SessionGate() {
  const session = useSessionQuery();
  const { pathname } = useLocation();
  const onStartScreens = pathname === '/start' || pathname.startsWith('/start/');

  if (session.isPending) {
    return (
      <Center h="100vh">
        <CenteredLoader label="Opening Recurra" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={480} w="100%">
          <QueryError title="Recurra could not start" error={session.error} onRetry={() => void session.refetch()} />
        </Stack>
      </Center>
    );
  }
  if (!session.data && !onStartScreens) return <Navigate to={startScreenAfterLeaving()} replace />;
  if (session.data && onStartScreens) return <Navigate to="/dashboard" replace />;
  // The owner requires two-factor and this user has none: the set-up screen, and nothing else, until it is on
  // (the session is refreshed once the recovery codes are put away, not when it turns on).
  if (session.data?.twoFactor?.setupRequired) {
    return (
      <SessionContext.Provider value={session.data}>
        <TwoFactorRequiredScreen />
      </SessionContext.Provider>
    );
  }
  return (
    <SessionContext.Provider value={session.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}
