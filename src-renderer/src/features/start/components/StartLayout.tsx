import { Box, Paper, Stack, Text } from '@mantine/core';
import { Outlet } from 'react-router';
import { Logo } from '../../../components/Logo';
import classes from './StartLayout.module.css';

/** The screens before a session: the logo, one centered card, a reassuring line. */
export function StartLayout() {
  return (
    <Box className={classes.root}>
      <Stack align="center" gap="xl" w="100%">
        <Logo size="lg" />
        <Outlet />
        <Text size="xs" c="dimmed">
          Your data stays on this PC.
        </Text>
      </Stack>
    </Box>
  );
}

/** The card each start screen sits in. */
export function StartCard({ width = 440, children }: { width?: number; children: React.ReactNode }) {
  return (
    <Paper className={classes.card} maw={width} withBorder shadow="sm" radius="lg" p={{ base: 'lg', sm: 32 }}>
      {children}
    </Paper>
  );
}
