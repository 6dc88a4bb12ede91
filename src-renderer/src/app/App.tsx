import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { queryClient } from '../lib/query';
import { colorSchemeManager } from './prefs';
import { createAppRouter } from './router';
import { theme } from './theme';

const appRouter = createAppRouter();

/** The providers and the router; tests pass a fresh router so each starts from its own URL. */
export function App({ router = appRouter }: { router?: ReturnType<typeof createAppRouter> }) {
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
