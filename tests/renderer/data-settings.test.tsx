import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge, Refusal } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
const RESTORED = { id: 'biz-2', name: 'Sunrise Yoga (restored)', currency: 'USD' as const, timezone: 'UTC' };
// A first render can take seconds on a loaded machine (the lazy page, Mantine, jsdom): as long as any other wait (setup.ts), only a hang fails.
const FIRST_RENDER = { timeout: 15_000 };

function fakeMain(role: Session['user']['role'], restore: () => unknown) {
  let loggedIn = true;
  const businesses = [BUSINESS];
  return installFakeBridge({
    'auth.session': () => (loggedIn ? { business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role } } : null),
    'auth.logout': () => {
      loggedIn = false;
      return { ok: true };
    },
    'business.list': () => businesses,
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'backup.exportAccounts': () => ({ path: '/home/sam/sunrise-yoga-accounts.zip', downloadUrl: null, files: [{ name: 'customers.csv', rows: 4 }] }),
    'backup.create': () => ({ path: '/home/sam/sunrise-yoga-backup.recurra', downloadUrl: null, bytes: 479_232 }),
    'backup.restore': () => {
      const result = restore();
      if (!(result instanceof Refusal)) businesses.push(RESTORED);
      return result;
    },
  });
}

function renderAt(hash: string) {
  window.location.hash = hash;
  return render(<App router={createAppRouter()} />);
}

// In the app, main picks files with its own dialogs: the page only asks.
beforeEach(() => {
  queryClient.clear();
  window.api = { invoke: async () => ({ ok: true, data: null }), on: () => () => {} };
});
afterEach(() => {
  setBridge(undefined);
  delete window.api;
});

describe('Settings → Data', () => {
  it('lets a non-owner export for the accountant, and nothing else', async () => {
    const fake = fakeMain('staff', () => ({ business: RESTORED }));
    renderAt('#/settings/data');
    expect(await screen.findByText('Only the owner can change settings', {}, FIRST_RENDER)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Back up now' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Restore/ })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export for my accountant' }));
    expect((await screen.findByTestId('accountant-done')).textContent).toContain('Saved to /home/sam/sunrise-yoga-accounts.zip');
    expect(screen.getByTestId('accountant-done').textContent).toContain('customers.csv: 4 rows');
    expect(fake.calls.find((c) => c.method === 'backup.exportAccounts')?.input).toEqual({ bom: true });
  });

  it('tells the owner where the backup went and how big it is', async () => {
    fakeMain('owner', () => ({ business: RESTORED }));
    renderAt('#/settings/data');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Back up now' }, FIRST_RENDER));
    expect((await screen.findByTestId('backup-done')).textContent).toBe('Backup saved to /home/sam/sunrise-yoga-backup.recurra (468 KB).');
  });

  it('restores a backup as a new business and offers to open it, which logs out of this one', async () => {
    const fake = fakeMain('owner', () => ({ business: RESTORED }));
    renderAt('#/settings/data');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Restore from a backup…' }, FIRST_RENDER));
    const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
    expect(dialog.textContent).toContain('Sunrise Yoga stays as it is');
    await user.click(within(dialog).getByRole('button', { name: 'Choose a file and restore…' }));
    expect((await within(dialog).findByTestId('restore-done')).textContent).toContain('Restored as “Sunrise Yoga (restored)”');
    await user.click(within(dialog).getByRole('button', { name: 'Log out of Sunrise Yoga and open it' }));
    expect(await screen.findByRole('heading', { name: 'Log in to Sunrise Yoga (restored)' }, FIRST_RENDER)).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'auth.logout')).toBe(true);
  });

  it('says why a file is refused, and stays quiet when the open dialog is cancelled', async () => {
    let answer: unknown = { business: null };
    fakeMain('owner', () => answer);
    renderAt('#/settings/data');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Restore from a backup…' }, FIRST_RENDER));
    const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
    await user.click(within(dialog).getByRole('button', { name: 'Choose a file and restore…' }));
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Choose a file and restore…' }).hasAttribute('data-loading')).toBe(false));
    expect(within(dialog).queryByText(/did not reach|not a Recurra backup/)).toBeNull();
    expect(within(dialog).queryByTestId('restore-done')).toBeNull();
    answer = new Refusal({ code: 'validation', message: 'This file is not a Recurra backup', field: 'file' });
    await user.click(within(dialog).getByRole('button', { name: 'Choose a file and restore…' }));
    expect(await within(dialog).findByText('This file is not a Recurra backup')).toBeTruthy();
  });

  it("asks for an owner's email and password in the backup when it is another business's, and sends them", async () => {
    let answer: unknown = new Refusal({ code: 'validation', message: 'This backup is of another business: give the email and password of one of its owners', field: 'email' });
    const fake = fakeMain('owner', () => answer);
    renderAt('#/settings/data');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Restore from a backup…' }, FIRST_RENDER));
    const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
    await user.click(within(dialog).getByRole('button', { name: 'Choose a file and restore…' }));
    expect(await within(dialog).findByText(/This backup is of another business/)).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'backup.restore')?.input).toEqual({});
    answer = { business: RESTORED };
    await user.type(within(dialog).getByLabelText(/Email of an owner in the backup/), 'olivia@example.com');
    await user.type(within(dialog).getByLabelText('Their password in the backup'), 'correct horse battery');
    await user.click(within(dialog).getByRole('button', { name: 'Choose a file and restore…' }));
    expect((await within(dialog).findByTestId('restore-done')).textContent).toContain('Restored as');
    expect(fake.calls.filter((c) => c.method === 'backup.restore').at(-1)?.input).toEqual({ email: 'olivia@example.com', password: 'correct horse battery' });
  });
});
