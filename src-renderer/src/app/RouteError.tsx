import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useRouteError } from 'react-router';

/** A screen that crashed: say so plainly and offer a way back. */
export function RouteError() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Center h="100vh" p="md">
      <Stack maw={480} gap="sm" align="flex-start">
        <Title order={2}>Something went wrong on this screen</Title>
        <Text c="dimmed" size="sm">
          Your data is safe: nothing is lost when a screen fails. Reload to try again.
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {message}
        </Text>
        <Button onClick={() => window.location.reload()}>Reload</Button>
      </Stack>
    </Center>
  );
}
