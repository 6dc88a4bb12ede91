import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { theme } from '../../src-renderer/src/app/theme';
import { BusinessPicker } from '../../src-renderer/src/features/start/components/BusinessPicker';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge } from './fake-bridge';

const ID = '01a24ed0-4c62-7000-8bc0-423c2693f3e8';

beforeEach(() => queryClient.clear());
afterEach(() => setBridge(undefined));

describe('the business picker', () => {
  it('shows a locked file found without its registry row by its file, with the way to unlock it', { timeout: 20_000 }, async () => {
    installFakeBridge({
      'business.list': () => [
        { id: 'b1', name: 'Sunrise Yoga', currency: 'USD', timezone: 'America/New_York', nameKnown: true, syncServer: null, locked: false, recoverySetUp: true },
        { id: ID, name: ID, currency: null, timezone: null, nameKnown: false, syncServer: null, locked: true, recoverySetUp: true },
      ],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: null, updateUrl: '' }),
    });
    render(
      <MantineProvider theme={theme} env="test">
        <QueryClientProvider client={queryClient}>
          <MemoryRouter>
            <BusinessPicker />
          </MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
    const locked = await screen.findByRole('group', { name: 'A business (name unknown), locked on this PC' });
    expect(locked.textContent).toContain(`File ${ID}.sqlite: its name shows once it is unlocked`);
    expect(locked.textContent).toContain('Unlock with recovery key');
    expect(locked.textContent).not.toContain('null');
    expect(screen.getByText('America/New York', { exact: false }).textContent).toContain('USD');
  });
});
