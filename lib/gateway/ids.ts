import { randomFillSync } from "node:crypto";

/**
 * UUIDv7 ids (RFC 9562) without a system call per id: random bits come from a pooled buffer
 * refilled 8 KiB at a time. Ids for the present are monotonic within the process (a 12-bit
 * counter in `rand_a`, method 1 of the RFC), so ids made in the same millisecond keep their
 * creation order; ids for other times (the demo's virtual clock) embed that time with random bits.
 */
const pool = Buffer.allocUnsafe(8192);
let offset = pool.length;
let lastMs = -1;
let counter = 0;

function randomBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

function format(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function build(ms: number, randA: number): string {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((randA >> 8) & 0x0f);
  bytes[7] = randA & 0xff;
  randomBytes(8).copy(bytes, 8);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  return format(bytes);
}

/** A UUIDv7 for time `ms`: monotonic for the present, time-embedding for any other time. */
export function uuidAt(ms: number): string {
  const now = Date.now();
  if (Math.abs(ms - now) >= 50) return build(Math.floor(ms), randomBytes(2).readUInt16BE(0) & 0x0fff);
  let t = Math.max(now, lastMs);
  if (t === lastMs) {
    counter += 1;
    if (counter > 0x0fff) {
      t += 1;
      counter = randomBytes(2).readUInt16BE(0) & 0x07ff;
    }
  } else {
    counter = randomBytes(2).readUInt16BE(0) & 0x07ff;
  }
  lastMs = t;
  return build(t, counter);
}
