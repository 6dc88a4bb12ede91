import { randomBytes } from 'node:crypto';

// Ids are UUIDv7 strings: unique across PCs (so two offline PCs never collide
// when they sync) and sortable by creation time.
// Random bytes are drawn 4 KiB at a time: one call per id costs more than the rest of an insert.
let pool = randomBytes(4096);
let poolOffset = 0;
function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  poolOffset += 16;
  return pool.subarray(poolOffset - 16, poolOffset);
}

let lastMs = 0;
let counter = 0;

export function newId(nowMs = Date.now()): string {
  // A per-millisecond counter in the random bits keeps ids from one process strictly increasing.
  if (nowMs <= lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    nowMs = lastMs;
  } else {
    lastMs = nowMs;
    counter = 0;
  }
  const bytes = Buffer.from(random16());
  const ms = BigInt(nowMs);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
