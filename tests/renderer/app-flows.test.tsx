import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { useSessionNotice } from '../../src-renderer/src/features/start/stores/session-notice-store';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge, Refusal } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'America/New_York' };
const SESSION: Session = {
  business: { ...BUSINESS, locale: 'en-US' },
  user: { id: 'user-1', name: 'Sam Staff', email: 'sam@example.com', role: 'staff' },
};

function renderApp() {
  window.location.hash = '#/';
  return render(<App router={createAppRouter()} />);
}

/** The input's accessible description: its Mantine description and error, joined. */
function describedBy(input: HTMLElement): string {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

beforeEach(() => {
  queryClient.clear();
  useSessionNotice.getState().clear();
});
afterEach(() => setBridge(undefined));

describe('the start screens', () => {
  it('welcomes a PC with no business yet on the sign-up screen', async () => {
    installFakeBridge({ 'auth.session': () => null, 'business.list': () => [], 'prefs.get': () => ({ theme: 'auto', lastBusinessId: null }) });
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Welcome to Recurra' })).toBeTruthy();
    expect(screen.queryByText('Back to your businesses')).toBeNull();
  });

  it("opens the last used business's login and shows a wrong password under the password field", async () => {
    const fake = installFakeBridge({
      'auth.session': () => null,
      'business.list': () => [BUSINESS],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
      'auth.login': () => new Refusal({ code: 'unauthenticated', message: 'Wrong email or password', field: 'password' }),
    });
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeTruthy();

    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'sam@example.com');
    const password = screen.getByLabelText('Password');
    await user.type(password, 'nope{Enter}');

    await waitFor(() => expect(describedBy(password)).toContain('Wrong email or password'));
    expect(fake.calls.find((c) => c.method === 'auth.login')?.input).toEqual({
      businessId: BUSINESS.id,
      email: 'sam@example.com',
      password: 'nope',
    });
  });

  it('checks the login form before calling main', async () => {
    const fake = installFakeBridge({
      'auth.session': () => null,
      'business.list': () => [BUSINESS],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    });
    renderApp();
    await screen.findByRole('heading', { name: 'Log in to Sunrise Yoga' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(describedBy(screen.getByRole('textbox', { name: 'Email' }))).toContain('Enter an email address'));
    expect(describedBy(screen.getByLabelText('Password'))).toContain('Enter your password');
    expect(fake.calls.some((c) => c.method === 'auth.login')).toBe(false);
  });
});

describe('the shell', () => {
  it('hides Settings from staff and returns to the login with the reason when main ends the session', async () => {
    const fake = installFakeBridge({
      'auth.session': () => SESSION,
      'business.list': () => [BUSINESS],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    });
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Customers' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();

    fake.emit('session-ended', { reason: 'Your password was reset by the owner. Log in with the new one.' });
    expect(await screen.findByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeTruthy();
    expect(screen.getByText('You were logged out')).toBeTruthy();
    expect(screen.getByText('Your password was reset by the owner. Log in with the new one.')).toBeTruthy();
  });

  it('treats an unauthenticated answer to any query as the end of the session', async () => {
    installFakeBridge({
      'auth.session': () => ({ ...SESSION, user: { ...SESSION.user, role: 'owner' } }),
      'business.list': () => [BUSINESS],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
      'business.get': () => new Refusal({ code: 'unauthenticated', message: 'Your account was deactivated. Ask the owner of the business.' }),
    });
    window.location.hash = '#/settings/business';
    render(<App router={createAppRouter()} />);
    expect(await screen.findByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeTruthy();
    expect(screen.getByText('Your account was deactivated. Ask the owner of the business.')).toBeTruthy();
  });
});

describe('the audit log', () => {
  it('loads older entries after the last one shown', async () => {
    const entry = (n: number) => ({
      id: `entry-${String(n).padStart(3, '0')}`,
      at: '2026-03-01T12:00:00.000Z',
      userId: 'user-1',
      userEmail: 'olivia@example.com',
      action: n % 2 ? 'users.create' : 'business.update',
      entity: n % 2 ? 'user' : 'business',
      entityId: null,
      before: null,
      after: { name: `Record ${n}` },
    });
    const fake = installFakeBridge({
      'auth.session': () => ({ ...SESSION, user: { ...SESSION.user, role: 'owner' } }),
      'business.list': () => [BUSINESS],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
      'audit.list': (input) =>
        (input as { before?: string }).before === 'entry-050'
          ? { entries: [entry(49)], hasMore: false }
          : { entries: Array.from({ length: 50 }, (_, i) => entry(99 - i)), hasMore: true },
    });
    window.location.hash = '#/settings/audit';
    render(<App router={createAppRouter()} />);

    expect(await screen.findByText('User · Record 99')).toBeTruthy();
    expect(screen.queryByText('User · Record 49')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load older entries' }));
    expect(await screen.findByText('User · Record 49')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load older entries' })).toBeNull());
    expect(fake.calls.filter((c) => c.method === 'audit.list').map((c) => c.input)).toEqual([
      { limit: 50 },
      { limit: 50, before: 'entry-050' },
    ]);
  });
});
