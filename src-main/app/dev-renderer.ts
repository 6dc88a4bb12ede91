// No electron import here: a vitest calls this without Electron.

/**
 * The electron-vite dev server the window loads instead of the built renderer,
 * or null. Only a development build may use one: in a packaged app the page
 * that `ELECTRON_RENDERER_URL` names would be trusted for IPC and served
 * without the CSP, so the variable is ignored there. The value must be an
 * http(s) URL on this machine (the dev server binds to localhost).
 */
export function devRendererUrl(env: { ELECTRON_RENDERER_URL?: string | undefined }, build: { isPackaged: boolean; dev: boolean }): string | null {
  const raw = env.ELECTRON_RENDERER_URL;
  if (!raw || build.isPackaged || !build.dev) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return null;
  return url.href;
}
