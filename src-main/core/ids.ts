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
  const random = random16();
  // 48 bits of milliseconds, as 12 hex digits (Number arithmetic is exact below 2^53).
  const time = nowMs.toString(16).padStart(12, '0');
  const version = (0x7000 | (counter & 0x0fff)).toString(16);
  const variant = HEX[0x80 | (random[0]! & 0x3f)]! + HEX[random[1]!]!;
  let tail = '';
  for (let i = 2; i < 8; i++) tail += HEX[random[i]!]!;
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}-${variant}-${tail}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
