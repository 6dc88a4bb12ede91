import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { prefsSchema } from '@shared/contract/prefs';
import { startAutoUpdates, UPDATE_CHECK_INTERVAL_MS, updateFeed, type Updater } from '../../../src-main/app/updates';

// The auto-update policy (src-main/app/updates.ts) around electron-updater's
// autoUpdater, which needs a packaged Electron app to run: here a stand-in
// records what the policy asks of it.

function fakeUpdater(opts: { failCheck?: boolean } = {}) {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const updater = Object.assign(emitter, {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    setFeedURL: (feed: unknown) => calls.push(`feed ${JSON.stringify(feed)}`),
    checkForUpdates: async () => {
      calls.push('check');
      if (opts.failCheck) throw new Error('getaddrinfo ENOTFOUND updates.example.com');
      return null;
    },
    quitAndInstall: () => calls.push('install'),
  });
  return { updater: updater as unknown as Updater, emitter, calls };
}

function setup(url: unknown, answer = true, opts: { failCheck?: boolean } = {}) {
  const fake = fakeUpdater(opts);
  const warnings: string[] = [];
  const asked: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let current = url;
  const auto = startAutoUpdates({
    updater: fake.updater,
    readUrl: () => current,
    askToRestart: async (version) => {
      asked.push(version);
      return answer;
    },
    logger: { info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
    setInterval: (fn, ms) => {
      timers.push({ fn, ms });
      return {};
    },
    clearInterval: () => {},
  });
  return { ...fake, auto, warnings, asked, timers, setUrl: (u: unknown) => (current = u) };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('auto-update', () => {
  it('the address: empty is off, https only, bounded', () => {
    expect(updateFeed('')).toBeNull();
    expect(updateFeed(undefined)).toBeNull();
    expect(updateFeed('http://updates.example.com/')).toBeNull();
    expect(updateFeed('file:///tmp/updates')).toBeNull();
    expect(updateFeed('not a url')).toBeNull();
    expect(updateFeed(`https://a.example/${'x'.repeat(2000)}`)).toBeNull();
    expect(updateFeed('https://sync.example.com/updates/')).toEqual({ provider: 'generic', url: 'https://sync.example.com/updates/' });
    const refused = prefsSchema.partial().safeParse({ updateUrl: 'http://updates.example.com/' });
    expect(refused.success ? null : refused.error.issues[0]).toMatchObject({ path: ['updateUrl'], message: 'The update address must start with https://' });
  });

  it('off while the address is empty: no feed, no check; the daily timer looks again', async () => {
    const s = setup('');
    await tick();
    expect(s.calls).toEqual([]);
    expect(s.timers.map((t) => t.ms)).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    s.setUrl('https://updates.example.com/recurra');
    s.timers[0]!.fn();
    await tick();
    expect(s.calls).toEqual(['feed {"provider":"generic","url":"https://updates.example.com/recurra"}', 'check']);
  });

  it('checks at start and daily, downloading in the background and installing on quit', async () => {
    const s = setup('https://updates.example.com/recurra');
    await tick();
    expect(s.updater.autoDownload).toBe(true);
    expect(s.updater.autoInstallOnAppQuit).toBe(true);
    expect(s.calls).toEqual(['feed {"provider":"generic","url":"https://updates.example.com/recurra"}', 'check']);
    s.timers[0]!.fn();
    await tick();
    expect(s.calls.slice(2)).toEqual(['check']); // the same address is not set again
  });

  it('an http:// address is ignored, with a warning', async () => {
    const s = setup('http://updates.example.com/recurra');
    await tick();
    expect(s.calls).toEqual([]);
    expect(s.warnings).toEqual(['update address ignored: it must be an https:// address']);
    expect(await s.auto.check()).toBe('off');
  });

  it('a failed check is logged, never thrown', async () => {
    const s = setup('https://updates.example.com/recurra', true, { failCheck: true });
    expect(await s.auto.check()).toBe('failed');
    expect(s.warnings).toContain('update check failed');
  });

  it('a downloaded update asks before restarting, once per version; "Later" installs nothing now', async () => {
    const yes = setup('https://updates.example.com/recurra', true);
    yes.emitter.emit('update-downloaded', { version: '0.2.0' });
    yes.emitter.emit('update-downloaded', { version: '0.2.0' });
    await tick();
    expect(yes.asked).toEqual(['0.2.0']);
    expect(yes.calls).toContain('install');

    const later = setup('https://updates.example.com/recurra', false);
    later.emitter.emit('update-downloaded', { version: '0.2.0' });
    await tick();
    expect(later.asked).toEqual(['0.2.0']);
    expect(later.calls).not.toContain('install');
  });
});
