import { test } from 'vitest';
import { withBusiness } from './cli/run-cli';
import { ok, JANE } from './cli/customer-fixtures';
test('p', async () => {
  for (let i = 0; i < 3; i++) {
    let c = process.cpuUsage(); let t = performance.now();
    const b = await withBusiness();
    const d = process.cpuUsage(c); console.log('withBusiness cpu', (d.user + d.system) / 1000, 'wall', performance.now() - t);
    c = process.cpuUsage(); t = performance.now();
    await ok(b.cli, JANE, b.asOwner);
    const e = process.cpuUsage(c); console.log('customer create cpu', (e.user + e.system) / 1000, 'wall', performance.now() - t);
    c = process.cpuUsage(); t = performance.now();
    await ok(b.cli, ['customer', 'list'], b.asOwner);
    const f = process.cpuUsage(c); console.log('customer list cpu', (f.user + f.system) / 1000, 'wall', performance.now() - t);
  }
});
