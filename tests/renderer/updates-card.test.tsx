import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import { contract } from '@shared/contract';
import type { Prefs } from '@shared/contract/prefs';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge, Refusal } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
const FIRST_RENDER = { timeout: 15_000 };

/** Main's prefs.get / prefs.setUpdateUrl over a map, validating as the core does (the contract's schema). */
function fakeMain(role: Session['user']['role'], updateUrl = '') {
  const prefs: Prefs = { theme: 'auto', lastBusinessId: BUSINESS.id, updateUrl };
  const fake = installFakeBridge({
    'auth.session': () => ({ business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role } }),
    'business.list': () => [BUSINESS],
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'prefs.get': () => ({ ...prefs }),
    'prefs.setUpdateUrl': (input) => {
      const parsed = contract['prefs.setUpdateUrl'].input.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return new Refusal({ code: 'validation', field: issue.path.join('.'), message: issue.message });
      }
      Object.assign(prefs, parsed.data);
      return { ...prefs };
    },
  });
  return { ...fake, prefs };
}

beforeEach(() => {
  queryClient.clear();
  window.api = { invoke: async () => ({ ok: true, data: null }), on: () => () => {} };
});
afterEach(() => {
  setBridge(undefined);
  delete window.api;
});

describe('Settings → Data → Updates', () => {
  it('the owner sets an https address, is refused an http one naming why, and can turn updates off', async () => {
    const fake = fakeMain('owner');
    window.location.hash = '#/settings/data';
    render(<App router={createAppRouter()} />);
    const user = userEvent.setup();
    const input = await screen.findByLabelText('Update address', {}, FIRST_RENDER);
    expect((input as HTMLInputElement).value).toBe('');

    await user.type(input, 'http://updates.example.com/recurra');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The update address must start with https://')).toBeTruthy();
    expect(fake.prefs.updateUrl).toBe('');

    await user.clear(input);
    await user.type(input, '  https://updates.example.com/recurra ');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved. The next check uses this address.')).toBeTruthy();
    expect(fake.prefs.updateUrl).toBe('https://updates.example.com/recurra');

    await user.click(screen.getByRole('button', { name: 'Turn updates off' }));
    expect(await screen.findByText('Saved. This PC will not look for updates.')).toBeTruthy();
    await waitFor(() => expect(fake.prefs.updateUrl).toBe(''));
  });

  it('shows the address saved before, and is not offered to staff', async () => {
    fakeMain('owner', 'https://sync.example.com/updates/');
    window.location.hash = '#/settings/data';
    const view = render(<App router={createAppRouter()} />);
    expect(((await screen.findByLabelText('Update address', {}, FIRST_RENDER)) as HTMLInputElement).value).toBe('https://sync.example.com/updates/');
    view.unmount();
    setBridge(undefined);
    queryClient.clear();

    fakeMain('staff');
    window.location.hash = '#/settings/data';
    render(<App router={createAppRouter()} />);
    expect(await screen.findByText('Only the owner can change settings', {}, FIRST_RENDER)).toBeTruthy();
    expect(screen.queryByLabelText('Update address')).toBeNull();
  });
});
