import type { AppUpdater } from 'electron-updater';
import { updateUrlSchema } from '@shared/contract/prefs';
import type { Logger } from '../core/ports';

// Auto-update (electron-updater) from the address the owner sets in Settings
// (`updateUrl`, a generic provider: a folder of electron-builder's latest*.yml
// and installers on any HTTPS server). Off while it is empty. Checked at start
// and daily, downloaded in the background, installed after the owner agrees
// to restart (or when the app next quits). No electron import: main.ts passes
// electron-updater's autoUpdater and a dialog; a vitest passes fakes.

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The feed for an address, or null (empty: off; not HTTPS or malformed: off, and said in the log). */
export function updateFeed(raw: unknown): { provider: 'generic'; url: string } | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const parsed = updateUrlSchema.safeParse(raw);
  if (!parsed.success || parsed.data === '') return null;
  return { provider: 'generic', url: parsed.data };
}

export type Updater = Pick<AppUpdater, 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall' | 'autoDownload' | 'autoInstallOnAppQuit'> & {
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export interface AutoUpdateDeps {
  updater: Updater;
  /** The owner's setting, read again before every check (a change applies at the next one). */
  readUrl: () => unknown;
  /** Asks whether to restart now to install `version`; true: restart. */
  askToRestart: (version: string) => Promise<boolean>;
  logger: Logger;
  setInterval?: (fn: () => void, ms: number) => { unref?(): void };
  clearInterval?: (timer: never) => void;
}

export interface AutoUpdates {
  /** One check now: 'off' when no address is set. */
  check(): Promise<'off' | 'checked' | 'failed'>;
  stop(): void;
}

export function startAutoUpdates(deps: AutoUpdateDeps): AutoUpdates {
  const { updater, logger } = deps;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  let feedUrl: string | null = null;
  let asked: string | null = null;

  updater.on('error', (error) => logger.warn('update failed', { error: String(error?.message ?? error) }));
  updater.on('update-downloaded', (info) => {
    if (asked === info.version) return;
    asked = info.version;
    deps.askToRestart(info.version).then(
      (restart) => {
        if (restart) updater.quitAndInstall();
      },
      (error: unknown) => logger.warn('update prompt failed', { error: String(error) }),
    );
  });

  const check = async (): Promise<'off' | 'checked' | 'failed'> => {
    const raw = deps.readUrl();
    const feed = updateFeed(raw);
    if (!feed) {
      if (raw) logger.warn('update address ignored: it must be an https:// address', {});
      return 'off';
    }
    if (feed.url !== feedUrl) {
      updater.setFeedURL(feed);
      feedUrl = feed.url;
    }
    try {
      await updater.checkForUpdates();
      return 'checked';
    } catch (error) {
      logger.warn('update check failed', { error: String((error as Error)?.message ?? error) });
      return 'failed';
    }
  };

  const every = deps.setInterval ?? setInterval;
  const timer = every(() => void check(), UPDATE_CHECK_INTERVAL_MS);
  timer.unref?.();
  void check();
  return {
    check,
    stop: () => (deps.clearInterval ?? clearInterval)(timer as never),
  };
}
