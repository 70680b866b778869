/**
 * IPs and CIDRs as Go's `net` package reads and compares them, which is what the
 * agent's `cidr.go` relies on:
 *
 * - `ParseCIDR` (the agent's, `cidr.go`): without `/`, `net.ParseIP` and a full mask
 *   (an IPv4 address gets the 16-byte form and a 128-bit mask, which `Contains` reads as
 *   /32); the all-zero address (`::`) is refused ("unknown IP address format");
 *   with `/`, `net.ParseCIDR`, which keeps the network (the address masked);
 * - IPv4: four decimal parts 0-255, no leading zeros; IPv6: hex groups, one `::`, an
 *   optional dotted IPv4 tail, no zone;
 * - `IPNet.Contains` compares in the IPv4 form when both sides have one;
 * - `IPNetsMatch(a, b)` = `a.Contains(b.IP) || b.Contains(a.IP)`.
 */

export interface IPNet {
  ip: Uint8Array;
  mask: Uint8Array;
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    if (p.length > 1 && p[0] === '0') return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let ellipsis = -1;
  let rest = s;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest.length === 0) return out;
  }
  let i = 0;
  while (i < 16) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
    if (m === null) return undefined;
    // An IPv4 tail?
    if (rest.length > m[0].length && rest[m[0].length] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4(rest);
      if (v4 === undefined) return undefined;
      out.set(v4, i);
      i += 4;
      rest = '';
      break;
    }
    const n = parseInt(m[0], 16);
    out[i] = n >> 8;
    out[i + 1] = n & 0xff;
    i += 2;
    rest = rest.slice(m[0].length);
    if (rest.length === 0) break;
    if (rest[0] !== ':' || rest.length === 1) return undefined;
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      rest = rest.slice(1);
      if (rest.length === 0) break;
    }
  }
  if (rest.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) out[j + n] = out[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) out[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return out;
}

const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** `net.ParseIP`: 16 bytes, IPv4 in its IPv6-mapped form. */
export function parseIP(s: string): Uint8Array | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return Uint8Array.from([...V4_IN_V6_PREFIX, ...v4]);
  if (s.includes(':')) return parseIPv6(s);
  return undefined;
}

function fullMask(len: number): Uint8Array {
  return new Uint8Array(len).fill(0xff);
}

function cidrMask(ones: number, bits: number): Uint8Array {
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < m.length; i++) {
    const n = Math.min(8, Math.max(0, ones - i * 8));
    m[i] = n === 0 ? 0 : (0xff << (8 - n)) & 0xff;
  }
  return m;
}

/** `net.ParseCIDR`: the network (address masked) and its mask, 4 bytes for IPv4. */
export function parseGoCIDR(s: string): IPNet | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const bitsText = s.slice(slash + 1);
  let ip: Uint8Array | undefined = parseIPv4(addr);
  let bits = 32;
  if (ip === undefined) {
    ip = addr.includes(':') ? parseIPv6(addr) : undefined;
    bits = 128;
  }
  if (ip === undefined || !/^[0-9]+$/.test(bitsText)) return undefined;
  const ones = Number(bitsText);
  if (ones > bits) return undefined;
  const mask = cidrMask(ones, bits);
  const net = ip.map((b, i) => b & mask[i]);
  return { ip: net, mask };
}

/** The agent's `ParseCIDR` (`cidr.go`): an IP (full mask) or a CIDR. */
export function parseCIDR(s: string): IPNet | undefined {
  if (!s.includes('/')) {
    const ip = parseIP(s);
    if (ip === undefined || ip.every((b) => b === 0)) return undefined;
    return { ip, mask: fullMask(ip.length) };
  }
  return parseGoCIDR(s);
}

function to4(ip: Uint8Array): Uint8Array | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && V4_IN_V6_PREFIX.every((b, i) => ip[i] === b)) return ip.subarray(12);
  return undefined;
}

/** `net.IPNet.Contains`. */
export function contains(n: IPNet, ipIn: Uint8Array): boolean {
  let nn = to4(n.ip);
  if (nn === undefined) {
    nn = n.ip;
    if (nn.length !== 16) return false;
  }
  let m = n.mask;
  if (m.length === 4) {
    if (nn.length !== 4) return false;
  } else if (m.length === 16) {
    if (nn.length === 4) m = m.subarray(12);
  } else {
    return false;
  }
  const ip = to4(ipIn) ?? ipIn;
  if (ip.length !== nn.length) return false;
  for (let i = 0; i < ip.length; i++) if ((nn[i] & m[i]) !== (ip[i] & m[i])) return false;
  return true;
}

/** The agent's `IPNetsMatch`. */
export function ipNetsMatch(a: IPNet, b: IPNet): boolean {
  return contains(a, b.ip) || contains(b, a.ip);
}
