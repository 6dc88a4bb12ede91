import { Anchor, Box, Paper, Stack, Text, Title } from '@mantine/core';
import { Logo } from '../../../components/Logo';
import { leaveSession, useSession } from '../../../lib/auth';
import { refreshTwoFactor } from '../api/use-two-factor';
import { useLogout } from '../api/use-logout';
import { TwoFactorSetup } from './TwoFactorSetup';

/** Shown instead of the app when the owner requires two-factor login and this user has not set it up yet. */
export function TwoFactorRequiredScreen() {
  const { business, user } = useSession();
  const logout = useLogout();
  return (
    <Box mih="100vh" py="xl" px="md" style={{ display: 'flex', justifyContent: 'center' }}>
      <Stack align="center" gap="xl" w="100%" maw={620}>
        <Logo size="lg" />
        <Paper withBorder shadow="sm" radius="lg" p={{ base: 'lg', sm: 32 }} w="100%">
          <Stack gap="md">
            <div>
              <Title order={2} fz="h3">
                Set up two-factor login to continue
              </Title>
              <Text c="dimmed" size="sm" mt={4}>
                The owner of {business.name} requires two-factor login for everyone. It takes a minute, with an authenticator app on your
                phone. Logged in as {user.email}.
              </Text>
            </div>
            <TwoFactorSetup onDone={refreshTwoFactor} />
          </Stack>
        </Paper>
        <Anchor component="button" size="sm" onClick={() => logout.mutate({}, { onSettled: () => leaveSession() })}>
          Log out
        </Anchor>
      </Stack>
    </Box>
  );
}
