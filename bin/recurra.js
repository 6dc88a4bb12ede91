#!/usr/bin/env node
// `recurra` runs the TypeScript source: tsx compiles it as it loads, so the
// CLI needs no build step and can never lag behind the code it drives.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src-main/cli/main.ts');
await runFromProcess();
