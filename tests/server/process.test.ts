import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { listening, runServer as run, runServerToEnd as runToEnd, type ServerProc as Proc } from './server-process';
import { call, freshDatabase, storageKinds, type StorageKind } from './support';

// `npm run server` as a real process: operator commands while it runs, a
// second server on the same folder refused, SIGTERM, and what it logs.

const started: Proc[] = [];
afterEach(() => {
  for (const proc of started.splice(0)) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
});

describe.each(storageKinds)('npm run server on %s', (kind: StorageKind) => {
  // Six processes, each opening the data folder (PGlite's start is the slow part): 16 s alone, past 60 s on a machine
  // whose two cores ran benchmarks beside it. A ceiling, not a measure.
  it('takes invite and admin create while it runs, logs no secret, and stops cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-proc-'));
    if (kind === 'pglite') fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
    const env = kind === 'postgres' ? { DATABASE_URL: await freshDatabase() } : {};
    const common = ['--data-dir', dataDir];
    try {
      const server = run(['--port', '0', ...common], env);
      started.push(server);
      const url = await listening(server);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const invite = await runToEnd(['invite', '--json', ...common], env);
      expect(invite.code, invite.stderr).toBe(0);
      const { code, expiresAt } = JSON.parse(invite.stdout) as { code: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
      const connect = await call({ url }, 'POST', '/sync/v1/connect', {
        body: { inviteCode: code, businessId: 'proc-biz', businessName: 'Proc', deviceName: 'PC 1' },
      });
      expect(connect.status).toBe(200);
      await call({ url }, 'POST', '/sync/v1/push', { token: connect.body.token, body: { changes: [] } });

      const admin = await runToEnd(['admin', 'create', '--email', 'ops@example.com', '--json', ...common], { ...env, RECURRA_PASSWORD: 'a long operator password' });
      expect(admin.code, admin.stderr).toBe(0);
      expect(JSON.parse(admin.stdout)).toMatchObject({ email: 'ops@example.com' });
      const noPassword = await runToEnd(['admin', 'create', '--email', 'x@example.com', ...common], env);
      expect(noPassword.code).toBe(2);
      expect(noPassword.stderr).toContain('RECURRA_PASSWORD');
      const login = await fetch(`${url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=ops%40example.com&password=a+long+operator+password',
      });
      expect(login.status).toBe(303);

      if (kind === 'pglite') {
        expect(fs.statSync(path.join(dataDir, 'server.lock.json')).mode & 0o777).toBe(0o600);
        const second = await runToEnd(['--port', '0', ...common]);
        expect(second.code).toBe(1);
        expect(second.stderr).toMatch(/in use by process \d+ \(a server at http/);
        // The operator route is closed without the token file's token.
        const forged = await fetch(`${url}/_operator/invite`, { method: 'POST', headers: { authorization: 'Bearer guess' } });
        expect(forged.status).toBe(403);
      }

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.stdout).toContain('SIGTERM: stopping');
      expect(server.stdout).toContain('Stopped.');
      expect(fs.existsSync(path.join(dataDir, 'server.lock.json'))).toBe(false);

      const lines = server.stdout.split('\n').filter((l) => / \/(sync|admin|_operator)/.test(l));
      expect(lines.some((l) => /POST \/sync\/v1\/push 200 [\d.]+ms business=proc-biz$/.test(l))).toBe(true);
      for (const secret of [connect.body.token, code, 'a long operator password']) expect(server.stdout + server.stderr).not.toContain(secret);

      // With no server running, the command opens the data folder (or database) itself.
      const offline = await runToEnd(['invite', ...common], env);
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stdout).toMatch(/Invite code: [0-9A-Z-]{19}/);
      expect(fs.existsSync(path.join(dataDir, 'server.lock.json'))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
