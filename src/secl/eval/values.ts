/** Field values as the evaluator reads them: Go integers, strings, IPs; the per-event cache. */
import { parseCIDR, type IPNet } from '../ip.js';
import { MASK64, type Ctx, type SeclScalar } from './types.js';

/** Length of a string in UTF-8 bytes (Go's `len`). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function toInt(v: SeclScalar): bigint | undefined {
  switch (typeof v) {
    case 'bigint':
      return MASK64(v);
    case 'number':
      return Number.isFinite(v) ? MASK64(BigInt(Math.trunc(v))) : undefined;
    case 'string':
      return /^-?[0-9]+$/.test(v) ? MASK64(BigInt(v)) : undefined;
    default:
      return undefined;
  }
}

export function toStr(v: SeclScalar): string {
  return typeof v === 'string' ? v : String(v);
}

const ipCache = new Map<string, IPNet | undefined>();
export function toIP(v: SeclScalar): IPNet | undefined {
  if (typeof v !== 'string') return undefined;
  if (ipCache.has(v)) return ipCache.get(v);
  const n = parseCIDR(v);
  if (ipCache.size > 10_000) ipCache.clear();
  ipCache.set(v, n);
  return n;
}

export function readField(c: Ctx, name: string): readonly SeclScalar[] {
  let v = c.cache.get(name);
  if (v === undefined) {
    v = c.src.get(name) ?? [];
    c.cache.set(name, v);
  }
  return v;
}

export function readNow(c: Ctx): bigint | undefined {
  if (!c.nowRead) {
    c.nowRead = true;
    const n = c.src.now?.();
    c.now = n === undefined ? undefined : toInt(n);
  }
  return c.now;
}
