import type { MenuItemConstructorOptions } from 'electron';

// The application menu as a plain function (only electron's types here): main.ts
// builds it with Menu.buildFromTemplate; tests/unit/app/menu.test.ts proves it.
// Without a menu of our own Electron installs its default one, whose View menu
// reloads the page and opens the developer tools, in an installed app too.

export interface MenuOptions {
  /** app.isPackaged: an installed build has no reload and no developer tools. */
  packaged: boolean;
  /** process.platform: macOS has the app menu and keeps the app open without windows. */
  platform: NodeJS.Platform;
  appName: string;
}

/** Roles that reload the page or open the developer tools: a development build only. */
export const DEVELOPER_ROLES = ['reload', 'forceReload', 'toggleDevTools'] as const;

export function appMenuTemplate({ packaged, platform, appName }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const developer: MenuItemConstructorOptions[] = packaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...(mac
      ? [
          {
            label: appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    // The edit roles give text fields their copy/paste shortcuts (on macOS only a menu item does).
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...developer,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
