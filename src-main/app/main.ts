import { app, BrowserWindow, dialog, Menu } from 'electron';
import electronUpdater from 'electron-updater';
import { Core } from '../core/core';
import { consoleLogger } from '../core/ports';
import { ElectronStorePreferences, KeytarSecretStore } from './adapters';
import { registerIpc } from './ipc';
import { appMenuTemplate } from './menu-template';
import { WorkerExecutor } from '../core/billing/executor';
import { WorkerInsights } from '../core/insights/worker-executor';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../core/db/open';
import { appPaths, billingWorkerPath, insightsWorkerPath } from './paths';
import { registerSchemeAsPrivileged, serveRenderer } from './protocol';
import { lockDown } from './security';
import { startAutoUpdates } from './updates';
import { createMainWindow } from './window';

// The Electron shell: lifecycle, windows, IPC and the OS adapters. Everything
// else is the core, which runs the same under the CLI, the browser host and tests.

registerSchemeAsPrivileged();

if (!app.requestSingleInstanceLock()) {
  // A second Recurra on the same data would run billing twice: hand over to the first.
  app.quit();
} else {
  let core: Core | undefined;
  const prefs = new ElectronStorePreferences();

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(() => {
    lockDown();
    // Our menu, not Electron's default: an installed build has no reload and no developer tools.
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ packaged: app.isPackaged, platform: process.platform, appName: app.name })));
    serveRenderer();
    try {
      const paths = appPaths();
      core = new Core({
        paths,
        prefs,
        secrets: new KeytarSecretStore(),
        logger: consoleLogger,
        // Billing catches up when a business opens, then runs on its timer, off the main thread.
        billingTimer: true,
        // A connected business syncs by itself: at start-up, after local changes, every few minutes.
        autoSync: true,
        // This thread serves the UI: it never blocks long on a busy file (the dispatcher waits without blocking).
        busyTimeoutMs: UI_THREAD_BUSY_TIMEOUT_MS,
        billingExecutor: new WorkerExecutor({ url: billingWorkerPath(), nativeBinding: paths.sqliteNativeBinding }),
        insightsExecutor: new WorkerInsights({ url: insightsWorkerPath(), nativeBinding: paths.sqliteNativeBinding }),
      });
    } catch (error) {
      dialog.showErrorBox('Recurra could not start', String((error as Error)?.message ?? error));
      app.quit();
      return;
    }
    registerIpc(core);
    createMainWindow(prefs);
    // Only an installed app updates itself (a development run has no app-update.yml and nothing to replace).
    if (app.isPackaged) {
      startAutoUpdates({
        updater: electronUpdater.autoUpdater,
        readUrl: () => prefs.get('updateUrl'),
        askToRestart: async (version) => {
          const options = {
            type: 'question' as const,
            buttons: ['Restart now', 'Later'],
            defaultId: 0,
            cancelId: 1,
            message: `Recurra ${version} is ready`,
            detail: 'Restart to install it now, or it installs the next time Recurra closes.',
          };
          const win = BrowserWindow.getAllWindows()[0];
          const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
          return response === 0;
        },
        logger: consoleLogger,
      });
    }
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(prefs);
    });
  }, (error: unknown) => consoleLogger.error('startup failed', { error: String(error) }));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => core?.close());
}
