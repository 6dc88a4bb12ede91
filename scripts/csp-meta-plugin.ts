import type { Plugin } from 'vite';
import { CSP_META } from '../src-shared/csp';

/** The CSP `<meta>` (src-shared/csp.ts) at the top of every built page's head: after the charset, before anything it governs. */
export function injectCspMeta(html: string): string {
  if (/http-equiv=["']?content-security-policy/i.test(html)) throw new Error('The page has its own CSP <meta>: src-shared/csp.ts is the one source');
  const head = /<head[^>]*>/i.exec(html);
  if (!head) throw new Error('The page has no <head> for the CSP <meta>');
  const charset = /<meta charset=[^>]*>/i.exec(html.slice(head.index));
  const at = charset ? head.index + charset.index + charset[0].length : head.index + head[0].length;
  return `${html.slice(0, at)}\n    <meta http-equiv="Content-Security-Policy" content="${CSP_META}" />${html.slice(at)}`;
}

/**
 * Build only: the dev server needs Vite's inline preamble, which the policy
 * forbids (the dev window and the browser host's dev mode go without a CSP).
 */
export function cspMetaPlugin(): Plugin {
  return { name: 'recurra-csp-meta', apply: 'build', transformIndexHtml: { order: 'post', handler: injectCspMeta } };
}
