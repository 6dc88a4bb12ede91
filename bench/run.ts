import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiBench } from './api';
import { billingBench } from './billing';
import { browserBench } from './browser';
import { cliBench } from './cli';
import { productsBench } from './products';
import { customersBench } from './customers';
import { emailBench } from './email';
import { encryptionBench } from './encryption';
import { insightsChurnBench } from './insights-churn';
import { insightsSalesBench } from './insights-sales';
import { reportsBench } from './reports';
import { salesBench } from './sales';
import { syncBench } from './sync';
import type { BenchResult } from './support';

// `npm run bench` runs every benchmark against the raw SQLite bound measured
// in the same run. `-- --json` prints one JSON object per line and nothing
// else on stdout; `-- --only customers` runs one.
const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' } } });

const benches: Record<string, (dataDir: string) => Promise<BenchResult[]>> = {
  customers: customersBench,
  billing: billingBench,
  reports: reportsBench,
  cli: cliBench,
  browser: browserBench,
  sync: syncBench,
  api: apiBench,
  sales: salesBench,
  products: productsBench,
  email: emailBench,
  encryption: encryptionBench,
  insights: insightsChurnBench,
  'insights-sales': insightsSalesBench,
};

const selected = values.only ? values.only.split(',') : Object.keys(benches);
let failed = false;
for (const name of selected) {
  const bench = benches[name];
  if (!bench) throw new Error(`Unknown benchmark "${name}"; have ${Object.keys(benches).join(', ')}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `recurra-bench-${name}-`));
  try {
    for (const r of await bench(dataDir)) {
      failed ||= !r.pass;
      if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        process.stdout.write(
          `${r.pass ? 'PASS' : 'FAIL'}  ${r.bench}.${r.metric}: ${r.value} ${r.unit} (raw ${r.raw}; ratio ${r.ratio}, target ${r.target})\n`,
        );
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;
