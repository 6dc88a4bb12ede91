import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from '../lib/query';
import { colorSchemeManager } from './prefs';

export function App() {
  return (
    <MantineProvider colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        <div>Recurra</div>
      </QueryClientProvider>
    </MantineProvider>
  );
}
