import type { BusinessRow } from './store';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}form{display:inline}
.suspended{color:#b00}.muted{color:#777}button{cursor:pointer}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function loginPage(message?: string): string {
  return layout(
    'Recurra server: sign in',
    `<h1>Recurra sync server</h1>${message ? `<p class="suspended" role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/admin/login"><p><label>Email <input name="email" type="email" required autocomplete="username"></label></p>
<p><label>Password <input name="password" type="password" required autocomplete="current-password"></label></p><p><button>Sign in</button></p></form>`,
  );
}

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : 'never');

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function action(path: string, label: string, csrf: string): string {
  return `<form method="post" action="${escape(path)}"><input type="hidden" name="_csrf" value="${escape(csrf)}"><button>${escape(label)}</button></form>`;
}

export function dashboardPage(email: string, csrf: string, list: BusinessRow[]): string {
  const rows = list
    .map((b) => {
      const devices = b.devices
        .map(
          (d) =>
            `<li>${escape(d.name)} <span class="muted">${escape(d.id)}${d.id === b.billingDeviceId ? ', billing PC' : ''}, last sync ${when(d.lastSyncAt)}</span> ${
              d.revoked ? '<strong class="suspended">revoked</strong>' : action(`/admin/devices/${encodeURIComponent(d.id)}/revoke`, 'Revoke', csrf)
            }</li>`,
        )
        .join('');
      const toggle = b.suspended
        ? action(`/admin/businesses/${encodeURIComponent(b.id)}/resume`, 'Resume', csrf)
        : action(`/admin/businesses/${encodeURIComponent(b.id)}/suspend`, 'Suspend', csrf);
      return `<tr data-business="${escape(b.id)}"><td>${escape(b.name)}<br><span class="muted">${escape(b.id)}</span>${
        b.suspended ? '<br><strong class="suspended">suspended</strong>' : ''
      }</td><td><ul>${devices}</ul></td><td>${when(b.lastSyncAt)}</td><td>${b.changeCount}</td><td>${size(b.storageBytes)}</td><td>${b.apiRequests.today} today<br><span class="muted">${b.apiRequests.week} in 7 days</span></td><td>${toggle}</td></tr>`;
    })
    .join('');
  return layout(
    'Recurra server: businesses',
    `<p>Signed in as ${escape(email)} ${action('/admin/logout', 'Sign out', csrf)}</p><h1>Businesses (${list.length})</h1>
<table><thead><tr><th>Business</th><th>Devices</th><th>Last sync</th><th>Changes</th><th>Storage</th><th>API requests</th><th></th></tr></thead><tbody>${
      rows || '<tr><td colspan="7" class="muted">No business has connected yet. Make an invite with <code>npm run server -- invite</code>.</td></tr>'
    }</tbody></table>`,
  );
}
