import { app, BrowserWindow, screen } from 'electron';
import type { PreferencesStore } from '../core/ports';
import { preloadPath } from './paths';
import { windowIconFor } from './resources';
import { mainWindowOptions, mainWindowUrl, type WindowBounds as Bounds } from './hardening';
import { DEV_RENDERER_URL } from './security';

/** The main window, locked down, at the size and place the owner left it. */
export function createMainWindow(prefs: PreferencesStore): BrowserWindow {
  const saved = prefs.get<Bounds>('windowBounds');
  const bounds = saved && isVisible(saved) ? saved : { width: 1280, height: 820 };
  const icon = windowIconFor({ platform: process.platform, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
  const win = new BrowserWindow(mainWindowOptions(bounds, preloadPath(), { packaged: app.isPackaged, icon }));
  win.once('ready-to-show', () => win.show());
  const save = () => {
    if (!win.isDestroyed() && !win.isMinimized() && !win.isMaximized()) prefs.set('windowBounds', win.getBounds());
  };
  win.on('resized', save);
  win.on('moved', save);
  win.on('close', save);

  void win.loadURL(mainWindowUrl(DEV_RENDERER_URL));
  return win;
}

function isVisible(b: Bounds): boolean {
  if (b.x === undefined || b.y === undefined) return true;
  return screen.getAllDisplays().some(({ workArea: a }) => b.x! < a.x + a.width && b.x! + b.width > a.x && b.y! < a.y + a.height && b.y! + b.height > a.y);
}
