import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { tempDir } from '../support/core';

// The one test of the real Electron shell. It needs Electron's binary, which
// CI skips downloading (no internet there); everything behind the shell is
// tested in plain Node and in Chromium through the browser host.
const require = createRequire(import.meta.url);
function electronBinary(): string | null {
  try {
    return require('electron') as string;
  } catch {
    return null;
  }
}

test('the app starts, shows the sign-up screen, and the window is locked down', async () => {
  const binary = electronBinary();
  test.skip(!binary, 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)');
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.resolve(import.meta.dirname, '../../out/main/index.js')],
    env: { ...process.env, RECURRA_DATA_DIR: tempDir('recurra-electron-') },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: /welcome to recurra|create/i }).first()).toBeVisible();
    // Only the two-function bridge reaches the page; no Node.
    expect(await win.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort())).toEqual(['invoke', 'on']);
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    const list = await win.evaluate(() => (window as unknown as { api: { invoke(m: string, i: unknown): Promise<unknown> } }).api.invoke('business.list', {}));
    expect(list).toEqual({ ok: true, data: [] });
    const unknown = await win.evaluate(() => (window as unknown as { api: { invoke(m: string, i: unknown): Promise<unknown> } }).api.invoke('no.such', {}));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  } finally {
    await app.close();
  }
});
