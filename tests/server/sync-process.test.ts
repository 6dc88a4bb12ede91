import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { businessOnNewPc, customers, pc, PAST, type Pc } from './pcs';
import { listening, pushRelay, runServer, runServerToEnd, type ServerProc } from './server-process';
import { freshDatabase, storageKinds } from './support';

// Issue 12's end-to-end scenario with `npm run server` as its own process
// and two data folders driven through the `recurra` command line: offline
// edits on both PCs, billing on the billing PC only, a handover, the server
// killed (SIGKILL) in the middle of a sync and started again, and at the end
// equal digests, no period invoiced twice and gapless number series.
// On PGlite (the server's own folder) and on PostgreSQL.

const started: ServerProc[] = [];
afterEach(() => {
  for (const proc of started.splice(0)) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
});

interface Invoice {
  id: string;
  number: string;
  subscriptionId: string | null;
  periodStart: string | null;
  status: string;
  total: number;
}

/** Each subscription period has at most one invoice, and every number is once. */
function expectNoPeriodTwice(invoices: Invoice[]) {
  const periods = invoices.filter((i) => i.subscriptionId && i.periodStart && i.status !== 'void').map((i) => `${i.subscriptionId} ${i.periodStart}`);
  expect(new Set(periods).size).toBe(periods.length);
  expect(new Set(invoices.map((i) => i.number)).size).toBe(invoices.length);
}

/** The numbers of one series (INV-000001 or INV-TAG-000001) run 1..n with no gap. */
function expectGapless(invoices: Invoice[], series: RegExp) {
  const numbers = invoices.flatMap((i) => {
    const m = series.exec(i.number);
    return m ? [Number(m[1])] : [];
  });
  expect(numbers.length).toBeGreaterThan(0);
  expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: numbers.length }, (_, k) => k + 1));
}

async function invoices(p: Pc): Promise<Invoice[]> {
  return p.ok<Invoice[]>(['invoice', 'list']);
}

describe.each(storageKinds)('the server as its own process on %s', (kind) => {
  it('two PCs edit offline, bill on one, hand billing over, survive a server killed mid-sync, and converge', { timeout: 240_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-proc-sync-'));
    if (kind === 'pglite') fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
    const env = kind === 'postgres' ? { DATABASE_URL: await freshDatabase() } : {};
    const start = (port: number) => {
      const proc = runServer(['--port', String(port), '--data-dir', dataDir], env);
      started.push(proc);
      return proc;
    };
    try {
      let server = start(0);
      const serverUrl = await listening(server);
      const port = Number(new URL(serverUrl).port);
      // The PCs reach the server through a relay that can cut it with a push in flight.
      const relay = await pushRelay(port);
      const url = relay.url;
      // The operator makes an invite with the command line, while the server runs.
      const invite = async () => {
        const made = await runServerToEnd(['invite', '--json', '--data-dir', dataDir], env);
        expect(made.code, made.stderr).toBe(0);
        return (JSON.parse(made.stdout) as { code: string }).code;
      };

      const { a, jane, john } = await businessOnNewPc('Process Yoga');
      const plan = (await a.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Monthly', '--price', '30.00', '--interval', 'month'])).plan;
      const subStart = addDays(PAST, -75);
      const subJane = (await a.ok<{ subscription: { id: string } }>(['subscription', 'create', '--customer', jane.id, '--plan', plan.id, '--start', subStart])).subscription;
      await a.ok(['subscription', 'create', '--customer', john.id, '--plan', plan.id, '--start', subStart]);
      const connected = await a.ok<{ deviceId: string }>(['sync', 'connect', '--server', url, '--invite', await invite(), '--device-name', 'Front desk']);

      const onB: { id?: string } = {};
      const b = pc(() => onB.id);
      const paired = await a.ok<{ code: string }>(['sync', 'pair']);
      const joined = await b.ok<{ business: { id: string }; deviceId: string }>(['sync', 'join', '--server', url, '--code', paired.code, '--device-name', 'Laptop'], {
        RECURRA_USER: '',
        RECURRA_PASSWORD: '',
      });
      onB.id = joined.business.id;

      // Offline on both: different fields of one customer, a customer each, billing on A only.
      await a.ok(['customer', 'update', jane.id, '--phone', '+1 555 0100']);
      await b.ok(['customer', 'update', jane.id, '--company', 'Acme']);
      const ann = (await a.ok<{ customer: { id: string } }>(['customer', 'create', '--name', 'Ann Front', '--email', 'ann@example.com'])).customer;
      await b.ok(['customer', 'create', '--name', 'Bob Laptop', '--email', 'bob@example.com']);
      expect((await b.fails(['billing', 'run', '--as-of', PAST], 1)).message).toContain('"Front desk"');
      const firstRun = await a.ok<{ invoicesIssued: number }>(['billing', 'run', '--as-of', addDays(PAST, -31)]);
      expect(firstRun.invoicesIssued).toBeGreaterThan(0);
      for (const p of [a, b, a]) await p.ok(['sync', 'now']);
      // Nor does B invoice a change now; at the period's end it may.
      const now = ['subscription', 'change', subJane.id, '--quantity', '2', '--on', addDays(PAST, -20)];
      expect(await b.fails([...now, '--mode', 'invoice_now'], 1)).toMatchObject({ code: 'conflict', field: 'mode' });
      await b.ok([...now, '--mode', 'at_period_end']);
      const numbersBefore = (await invoices(a)).map((i) => i.number);

      // The handover: B takes billing (online) and bills up to PAST; A is refused from then on.
      expect(await b.ok(['sync', 'billing-device', '--take'])).toEqual({ billingDevice: { id: joined.deviceId, name: 'Laptop' } });
      await a.ok(['sync', 'now']);
      expect((await a.fails(['billing', 'run', '--as-of', PAST], 1)).message).toContain('"Laptop"');
      expect((await b.ok<{ invoicesIssued: number }>(['billing', 'run', '--as-of', PAST])).invoicesIssued).toBeGreaterThan(0);

      // A brings in many customers; the server is killed while A uploads them.
      const csv = ['name,email', ...Array.from({ length: 2500 }, (_, i) => `Imported ${i},imported${i}@example.com`)].join('\n');
      const file = path.join(dataDir, 'import.csv');
      fs.writeFileSync(file, csv);
      expect((await a.ok<{ created: number }>(['import', 'customers', '--file', file])).created).toBe(2500);
      await a.ok(['customer', 'update', ann.id, '--phone', '+1 555 0111']);
      // The first push of this sync reaches the server, and the server dies at once (pushes are about 1 MB: this one
      // holds the import, and whether the server committed it before it died is up to the race).
      const killed = server;
      relay.onPush = () => {
        if (killed.child.exitCode === null) killed.child.kill('SIGKILL');
      };
      const cut = await a.cli(['sync', 'now', '--json']);
      relay.onPush = null;
      await killed.exited;
      expect(killed.stdout).toMatch(/POST \/sync\/v1\/push 200/);
      // Killed with a push in flight: the PC says so; whatever the server did not take stays waiting.
      expect(cut.code, cut.stdout).not.toBe(0);
      expect(cut.stderr).toMatch(/Cannot reach the sync server|socket|ECONNRE|fetch failed/i);
      // The PC never had an answer to that push: its changes wait (a replay is harmless if the server took them).
      expect((await a.ok<{ pending: number }>(['sync', 'status'])).pending).toBeGreaterThan(0);

      // Offline meanwhile: B edits too, and bills nothing new (it has billed up to PAST).
      await b.ok(['customer', 'update', ann.id, '--company', 'Front Ltd']);

      server = start(port);
      expect(await listening(server)).toBe(serverUrl);
      for (const p of [a, b, a, b]) await p.ok(['sync', 'now']);

      expect(await a.ok(['sync', 'status'])).toMatchObject({ pending: 0, billingDevice: { id: joined.deviceId } });
      expect(await b.ok(['sync', 'digest'])).toEqual(await a.ok(['sync', 'digest']));
      const people = await customers(a);
      expect(people.length).toBe(2 + 2 + 2500);
      expect(people.find((c) => c.id === jane.id)).toMatchObject({ phone: '+1 555 0100', company: 'Acme' });
      expect(people.find((c) => c.id === ann.id)).toMatchObject({ phone: '+1 555 0111', company: 'Front Ltd' });

      const all = await invoices(a);
      expect(all).toEqual(await invoices(b));
      expectNoPeriodTwice(all);
      // One series across the handover: B went on from A's last number.
      expectGapless(all, /^INV-(\d{6})$/);
      expect(all.length).toBeGreaterThan(numbersBefore.length);
      expect(all.map((i) => i.number)).toEqual(expect.arrayContaining(numbersBefore));
      expect(connected.deviceId).not.toBe(joined.deviceId);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      await relay.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
