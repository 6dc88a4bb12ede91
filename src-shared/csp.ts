// The renderer's Content-Security-Policy, for the browser host and the Electron shell alike.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The same policy for the `<meta>` tag every built page carries (a second
 * lock should the header ever be missing): without `frame-ancestors`, which a
 * `<meta>` policy ignores (Chromium logs an error for it); the header keeps it.
 */
export const CSP_META = CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
