import fs from 'node:fs';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../src-main/app/hardening';
import { appMenuTemplate, DEVELOPER_ROLES } from '../../../src-main/app/menu-template';

// No developer tools in an installed build (issue 16, ARCHITECTURE.md "The Electron
// security checklist", row 21). Electron's binary cannot run here: the menu and the
// window's options are plain functions, given what app.isPackaged would say.

const root = path.resolve(import.meta.dirname, '../../..');
const PLATFORMS = ['linux', 'win32', 'darwin'] as const;

/** Every item of a template, submenus included. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}
const roles = (template: MenuItemConstructorOptions[]) => items(template).flatMap((i) => (i.role ? [i.role] : []));

describe('the application menu', () => {
  it.each(PLATFORMS)('packaged on %s: no reload, no developer tools, no accelerator that reaches them', (platform) => {
    const template = appMenuTemplate({ packaged: true, platform, appName: 'Recurra' });
    const all = items(template);
    for (const role of DEVELOPER_ROLES) expect(roles(template)).not.toContain(role);
    // Nothing custom sneaks them back under another name or shortcut.
    expect(all.filter((i) => i.click !== undefined)).toEqual([]);
    expect(all.map((i) => String(i.label ?? '')).join('|')).not.toMatch(/reload|developer|devtools|inspect/i);
    expect(all.flatMap((i) => (i.accelerator ? [String(i.accelerator)] : []))).toEqual([]);
    // What the owner needs is still there: copy and paste in the fields, zoom, quit or close.
    expect(roles(template)).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'zoomIn', 'resetZoom', 'minimize']));
    expect(roles(template)).toContain('quit');
  });

  it.each(PLATFORMS)('a development build on %s keeps reload and the developer tools', (platform) => {
    const dev = roles(appMenuTemplate({ packaged: false, platform, appName: 'Recurra' }));
    for (const role of DEVELOPER_ROLES) expect(dev).toContain(role);
  });

  it('macOS gets the app menu named after the app; Windows and Linux do not', () => {
    const mac = appMenuTemplate({ packaged: true, platform: 'darwin', appName: 'Recurra' });
    expect(mac[0]).toMatchObject({ label: 'Recurra' });
    expect(roles([mac[0]!])).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    expect(appMenuTemplate({ packaged: true, platform: 'linux', appName: 'Recurra' }).map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window']);
  });

  it('the shell installs it from app.isPackaged before the window opens (the default menu of Electron has the tools)', () => {
    const main = fs.readFileSync(path.join(root, 'src-main/app/main.ts'), 'utf8');
    expect(main).toMatch(/Menu\.setApplicationMenu\(Menu\.buildFromTemplate\(appMenuTemplate\(\{ packaged: app\.isPackaged/);
    expect(main.indexOf('Menu.setApplicationMenu')).toBeLessThan(main.indexOf('createMainWindow(prefs)'));
  });
});

describe("the window's developer tools", () => {
  const bounds = { width: 1280, height: 820 };
  it('are off in an installed build (webPreferences.devTools false: no shortcut or call opens them)', () => {
    expect(mainWindowOptions(bounds, '/p.cjs', { packaged: true }).webPreferences?.devTools).toBe(false);
  });

  it('are on in a development build', () => {
    expect(mainWindowOptions(bounds, '/p.cjs', { packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('the window is built from app.isPackaged', () => {
    const window = fs.readFileSync(path.join(root, 'src-main/app/window.ts'), 'utf8');
    expect(window).toMatch(/mainWindowOptions\(bounds, preloadPath\(\), \{ packaged: app\.isPackaged/);
  });
});
