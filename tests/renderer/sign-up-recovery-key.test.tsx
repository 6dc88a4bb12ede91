import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { theme } from '../../src-renderer/src/app/theme';
import { recoveryKeyFile } from '../../src-renderer/src/components/RecoveryKeyPanel';
import { SignUpScreen } from '../../src-renderer/src/features/start/components/SignUpScreen';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge } from './fake-bridge';

const KEY = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';
const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC', locale: 'en-US' };

beforeEach(() => queryClient.clear());
afterEach(() => setBridge(undefined));

describe('the recovery key shown at sign-up', () => {
  it('says it sets a new password and also opens the books on a PC that lost their key', { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    const fake = installFakeBridge({
      'business.list': () => [],
      'business.signUp': () => ({ business: BUSINESS, user: { id: 'u1', name: 'Olivia', email: 'olivia@example.com', role: 'owner' }, recoveryKey: KEY }),
    });
    render(
      <MantineProvider theme={theme} env="test">
        <QueryClientProvider client={queryClient}>
          <MemoryRouter>
            <SignUpScreen />
          </MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
    await user.type(screen.getByRole('textbox', { name: /Business name/ }), 'Sunrise Yoga');
    await user.type(screen.getByRole('textbox', { name: /Your name/ }), 'Olivia');
    await user.type(screen.getByRole('textbox', { name: /email/i }), 'olivia@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse');
    await user.type(screen.getByLabelText(/^Confirm password/), 'correct horse');
    await user.click(screen.getByRole('button', { name: /Create/ }));

    expect((await screen.findByTestId('recovery-key')).textContent).toBe(KEY);
    expect(fake.calls.some((c) => c.method === 'business.signUp')).toBe(true);
    expect(screen.getByText(/It sets a new password if you forget yours, and it opens your books on a PC that has lost their key/).textContent).toContain('after a reinstall');
    expect(screen.getByText(/if this PC loses the key to the books/).textContent).toContain('Locked on this PC');
    expect(screen.queryByText(/only way back in/)).toBeNull();
  });

  it('the saved file says both uses, with the words the app shows', () => {
    const file = recoveryKeyFile(KEY, 'Sunrise Yoga');
    expect(file).toContain(KEY);
    expect(file).toContain('"Use your recovery key"');
    expect(file).toContain('"Locked on this PC"');
    expect(file).toContain('"Unlock with recovery key"');
  });
});
