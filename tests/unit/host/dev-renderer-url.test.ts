import { describe, expect, it } from 'vitest';
import { devRendererUrl } from '../../../src-main/app/dev-renderer';

// Issue 11, defect 11: ELECTRON_RENDERER_URL was honoured in a packaged app,
// where the page it names is trusted for IPC and served without the CSP.

const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };

describe('the dev renderer URL', () => {
  it('is honoured in a development build', () => {
    expect(devRendererUrl(env, { isPackaged: false, dev: true })).toBe('http://localhost:5173/');
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }, { isPackaged: false, dev: true })).toBe('http://127.0.0.1:5173/');
  });

  it('is ignored in a packaged app, and in a production build run unpackaged', () => {
    expect(devRendererUrl(env, { isPackaged: true, dev: true })).toBeNull();
    expect(devRendererUrl(env, { isPackaged: true, dev: false })).toBeNull();
    expect(devRendererUrl(env, { isPackaged: false, dev: false })).toBeNull();
  });

  it('is ignored when it names another machine or is not a web URL', () => {
    const dev = { isPackaged: false, dev: true };
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example.com/' }, dev)).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, dev)).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'not a url' }, dev)).toBeNull();
    expect(devRendererUrl({}, dev)).toBeNull();
  });
});
