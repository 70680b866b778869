/**
 * Events generated from a JSON Schema (valid ones), spelled in many ways, and
 * mutated: the inputs of the fast-path differential tests (test/unit/fastcheck,
 * fuzz/targets/fastcheck.mjs). Deterministic from a seed (a small PRNG), so a
 * failing case replays from the seed fast-check prints.
 *
 * A generated value is a tree: {t:'obj', e:[[key, value], ...]} (keys may
 * repeat), {t:'arr', v:[...]}, {t:'str', s}, {t:'raw', text} (numbers,
 * literals, anything spelled as is).
 */

/** mulberry32: a seeded PRNG in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];

const VALID_DATE_TIMES = [
  '2024-08-01T00:00:12.595529445Z', '2025-10-02T09:30:00Z', '2024-07-29T09:50:37.386+02:00', '2024-02-29T23:59:59-05:30',
  '1970-01-01T00:00:00z', '2016-12-31T23:59:60Z', '2016-12-31t23:59:60Z', '2017-01-01T00:59:60+01:00', '2024-12-31T23:59:59.1Z',
];
const EDGE_DATE_TIMES = [
  '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-12-31T22:59:60Z', '2024-13-01T00:00:00Z', '2024-08-01 00:00:00Z',
  '2024-08-01T00:00:00+0100', '2024-08-01T00:00:00+01', '2024-08-01T24:00:00Z', '2024-08-01T00:00:00', '2024-08-01T00:00:00.Z',
  '2024-08-01', '', '２０２４-08-01T00:00:00Z', '2024-08-01T00:00:00Z ', '2024-08-01T00:00:00+24:00', '2024-08-01T00:60:00Z',
  '2024-08-01T00:00:00.5+23:59', '0000-01-01T00:00:00Z',
];
const STRING_UNITS = ['a', 'b', 'Z', ' ', '/', '.', '_', '-', '0', 'é', '☕', '😀', 'ß', '"', '\\', '\n', '\t', '\u0001', '\u007f', '\u2028', '\ufffd', '{', ':'];
const INTEGERS = ['0', '1', '-1', '42', '4126162', '4294967295', '-0', '9007199254740993', '1234567890123456', '18446744073709551615', '-9223372036854775808'];
const NUMBER_FORMS = [
  '1.0', '1e2', '1E+2', '-0', '-0.0', '0.5', '1e400', '-1e400', '1e-400', '4242.00000000000000001', '18446744073709551616', '01', '-', '1.',
  '.5', '+1', '0x10', 'NaN', 'Infinity', '1e', `1${'0'.repeat(310)}`, `1${'0'.repeat(299)}`, '2.5e0',
];
const VERSIONS = ['7.55.3', '7.71.0', '7.71.0-rc.1', 'v7.71.0+git.5.abc', '7.70.9', '8.0.0', '', 'garbage', ' 7.71.0 '];
const OSES = ['linux', 'windows', 'Windows', 'WINDOWS', 'darwin'];
const CUSTOM_IDS = ['ruleset_loaded', 'heartbeat', 'abnormal_path', 'self_test'];

function randomString(r, max = 8, units = STRING_UNITS) {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += r() < 0.7 ? pick(r, ['a', 'e', 'x', '/', '-', '1']) : pick(r, units);
  return s;
}

/** Keys as agents write them: no character JSON must escape. */
const KEY_UNITS = STRING_UNITS.filter((c) => c !== '"' && c !== '\\' && c >= ' ');

function resolve(root, schema) {
  let s = schema;
  for (let i = 0; i < 20 && s && typeof s === 'object' && typeof s.$ref === 'string'; i++) {
    const path = s.$ref.slice(s.$ref.indexOf('#') + 1).split('/').slice(1);
    s = path.reduce((at, k) => at?.[decodeURIComponent(k).replace(/~1/g, '/').replace(/~0/g, '~')], root);
  }
  return s;
}

/** A value valid against `schema` (within `root`), most of the time (an open `{}` may hold anything). */
export function generate(root, r, options = {}) {
  const keyUnits = options.os !== undefined ? KEY_UNITS : STRING_UNITS;
  const gen = (schema, depth, path) => {
    const s = resolve(root, schema);
    if (s === true || s === undefined || s === null || typeof s !== 'object' || Object.keys(s).length === 0) return anyValue(r, depth, keyUnits);
    const types = s.type === undefined ? ['object'] : Array.isArray(s.type) ? s.type : [s.type];
    const type = pick(r, types);
    switch (type) {
      case 'object': {
        const props = s.properties ?? {};
        const required = new Set(s.required ?? []);
        const e = [];
        const keep = depth > 4 ? 0.08 : depth > 2 ? 0.3 : 0.75;
        for (const [k, sub] of Object.entries(props)) {
          const here = `${path}/${k}`;
          // Agent-like: every event has its kind.
          const always = options.os !== undefined && (here === '/evt' || here === '/evt/name' || here === '/agent/os');
          if (!required.has(k) && !always && r() > keep) continue;
          if (here === '/agent/version' && r() < 0.8) e.push([k, { t: 'str', s: options.version ?? pick(r, VERSIONS) }]);
          else if (here === '/agent/os' && typeof resolve(root, sub)?.type === 'string') e.push([k, { t: 'str', s: options.os ?? pick(r, OSES) }]);
          else if (here === '/agent/rule_id' && r() < 0.1) e.push([k, { t: 'str', s: pick(r, CUSTOM_IDS) }]);
          else e.push([k, gen(sub, depth + 1, here)]);
        }
        for (const k of required) if (!Object.hasOwn(props, k)) e.push([k, anyValue(r, depth + 1, keyUnits)]);
        if (s.additionalProperties !== false && r() < 0.3) e.push([`x${randomString(r, 4, keyUnits)}`, gen(s.additionalProperties ?? true, depth + 1, `${path}/*`)]);
        // Key order is free.
        for (let i = e.length - 1; i > 0; i--) {
          if (r() < 0.2) {
            const j = Math.floor(r() * (i + 1));
            [e[i], e[j]] = [e[j], e[i]];
          }
        }
        return { t: 'obj', e };
      }
      case 'array': {
        const n = depth > 4 ? 0 : Math.floor(r() * 4);
        return { t: 'arr', v: Array.from({ length: n }, () => gen(s.items ?? true, depth + 1, `${path}/*`)) };
      }
      case 'string':
        return { t: 'str', s: s.format === 'date-time' ? pick(r, VALID_DATE_TIMES) : randomString(r) };
      case 'integer':
        return { t: 'raw', text: pick(r, INTEGERS) };
      case 'number':
        return { t: 'raw', text: pick(r, [...INTEGERS, '0.5', '-12.25', '3.14159']) };
      case 'boolean':
        return { t: 'raw', text: r() < 0.5 ? 'true' : 'false' };
      case 'null':
        return { t: 'raw', text: 'null' };
      default:
        return anyValue(r, depth);
    }
  };
  return gen(root, 0, '');
}

function anyValue(r, depth, units = STRING_UNITS) {
  const k = Math.floor(r() * (depth > 4 ? 4 : 6));
  if (k === 0) return { t: 'str', s: randomString(r) };
  if (k === 1) return { t: 'raw', text: pick(r, [...INTEGERS, '0.5', '1e3']) };
  if (k === 2) return { t: 'raw', text: pick(r, ['true', 'false', 'null']) };
  if (k === 3) return { t: 'str', s: pick(r, VALID_DATE_TIMES) };
  if (k === 4) return { t: 'arr', v: [anyValue(r, depth + 1, units)] };
  return { t: 'obj', e: [[randomString(r, 4, units), anyValue(r, depth + 1, units)]] };
}

function hex4(c) {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

/** A string's JSON spelling; with `r`, escapes chosen at random where a character may be escaped. */
function quote(s, r, escapeRate) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    const must = ch === '"' || ch === '\\' || c < 0x20;
    if (must || (r && r() < escapeRate)) {
      if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else if (ch === '\n' && r && r() < 0.5) out += '\\n';
      else if (ch === '/' && r && r() < 0.5) out += '\\/';
      else if (c > 0xffff) out += hex4(0xd800 + ((c - 0x10000) >> 10)) + hex4(0xdc00 + ((c - 0x10000) & 0x3ff));
      else out += r && r() < 0.5 ? hex4(c) : hex4(c).toUpperCase().replace('\\U', '\\u');
    } else out += ch;
  }
  return `${out}"`;
}

/** The JSON text of a tree; `r` adds whitespace and escapes at random. */
export function spell(tree, r, { ws = 0, escapes = 0, keyEscapes = 0 } = {}) {
  const w = () => (r && r() < ws ? pick(r, [' ', '\t', '\r', '\n', '  ', ' \r\n']) : '');
  const out = (v) => {
    switch (v.t) {
      case 'obj':
        return `{${w()}${v.e.map(([k, x]) => `${quote(k, r, keyEscapes)}${w()}:${w()}${out(x)}${w()}`).join(`,${w()}`)}}`;
      case 'arr':
        return `[${w()}${v.v.map((x) => `${out(x)}${w()}`).join(`,${w()}`)}]`;
      case 'str':
        return quote(v.s, r, escapes);
      default:
        return v.text;
    }
  };
  return `${w()}${out(tree)}${w()}`;
}

/** Every node of a tree with a way to replace it: [node, set(newNode), key-list of its object or undefined]. */
function slots(tree) {
  const all = [];
  const walk = (v, set) => {
    all.push({ node: v, set });
    if (v.t === 'obj') v.e.forEach((pair, i) => walk(pair[1], (n) => (v.e[i] = [pair[0], n])));
    else if (v.t === 'arr') v.v.forEach((x, i) => walk(x, (n) => (v.v[i] = n)));
  };
  walk(tree, () => {});
  return all;
}

function deep(n, r) {
  return r() < 0.5 ? { t: 'raw', text: `${'['.repeat(n)}${']'.repeat(n)}` } : { t: 'raw', text: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` };
}

/** Mutates a tree in place (one to three changes of structure, type, number form, date-time, key). */
export function mutateTree(tree, r) {
  const times = 1 + Math.floor(r() * 3);
  for (let t = 0; t < times; t++) {
    const all = slots(tree);
    const at = pick(r, all);
    const objects = all.filter((s) => s.node.t === 'obj');
    const obj = objects.length > 0 ? pick(r, objects).node : undefined;
    switch (Math.floor(r() * 11)) {
      case 0: // another type
        at.set(pick(r, [{ t: 'raw', text: 'null' }, { t: 'raw', text: 'true' }, { t: 'raw', text: '7' }, { t: 'str', s: 'x' }, { t: 'arr', v: [] }, { t: 'obj', e: [] }]));
        break;
      case 1: // a key removed
        if (obj && obj.e.length > 0) obj.e.splice(Math.floor(r() * obj.e.length), 1);
        break;
      case 2: // a key added
        if (obj) obj.e.push([pick(r, ['zzz', 'name', 'agent', '__proto__', 'constructor', 'é', randomString(r, 4)]), anyValue(r, 3)]);
        break;
      case 3: // a key twice
        if (obj && obj.e.length > 0) {
          const [k, v] = pick(r, obj.e);
          obj.e.splice(Math.floor(r() * (obj.e.length + 1)), 0, [k, r() < 0.5 ? v : anyValue(r, 3)]);
        }
        break;
      case 4: // a number form
        at.set({ t: 'raw', text: pick(r, NUMBER_FORMS) });
        break;
      case 5: // a date-time edge
        at.set({ t: 'str', s: pick(r, [...EDGE_DATE_TIMES, ...VALID_DATE_TIMES]) });
        break;
      case 6: // a lone surrogate, as an escape
        at.set({ t: 'raw', text: pick(r, ['"\\ud800"', '"a\\uDFFFb"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\x41"', '"\\u12"']) });
        break;
      case 7: // deep nesting
        at.set(deep(pick(r, [10, 63, 64, 65, 66, 200]), r));
        break;
      case 8: // the kind or the agent
        if (obj) obj.e.push([pick(r, ['evt', 'agent']), pick(r, [{ t: 'obj', e: [['name', { t: 'str', s: 'exec' }]] }, { t: 'raw', text: '1' }, { t: 'obj', e: [['rule_id', { t: 'str', s: pick(r, CUSTOM_IDS) }]] }])]);
        break;
      case 9: // a key with an escape or a non-ASCII spelling of a known one
        if (obj && obj.e.length > 0) {
          const i = Math.floor(r() * obj.e.length);
          obj.e[i] = [pick(r, [`${obj.e[i][0]}\u0000`, `${obj.e[i][0]}é`, obj.e[i][0].toUpperCase(), `${obj.e[i][0]} `]), obj.e[i][1]];
        }
        break;
      default: // a string's content
        at.set({ t: 'str', s: randomString(r, 12) });
    }
  }
  return tree;
}

const BAD_BYTES = [[0xc0, 0x80], [0xff], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf0, 0x9f, 0x98], [0xef, 0xbb, 0xbf], [0x00], [0x1f], [0x0a]];

/** Mutates bytes: invalid UTF-8, a truncation, a byte changed, a BOM, a CR, whitespace. */
export function mutateBytes(bytes, r) {
  const b = Array.from(bytes);
  const at = Math.floor(r() * (b.length + 1));
  switch (Math.floor(r() * 8)) {
    case 0:
      b.splice(at, 0, ...pick(r, BAD_BYTES));
      break;
    case 1:
      b.length = at;
      break;
    case 2:
      if (b.length > 0) b[Math.min(at, b.length - 1)] = Math.floor(r() * 256);
      break;
    case 3:
      b.splice(at, 1);
      break;
    case 4:
      b.unshift(0xef, 0xbb, 0xbf);
      break;
    case 5:
      b.push(pick(r, [0x0d, 0x20, 0x09, 0x0c, 0x0b, 0xa0]));
      break;
    case 6:
      b.splice(at, 0, pick(r, [0x20, 0x22, 0x5c, 0x2c, 0x7d, 0x5d, 0x3a]));
      break;
    default:
      b.splice(at, 0, ...b.slice(at, at + Math.floor(r() * 20)));
  }
  return Uint8Array.from(b);
}

const encoder = new TextEncoder();

/**
 * One case from a seed: a line of an event generated from `schema`, spelled at
 * random, mutated or not (`mutation`: 0 none, 1 the tree, 2 the bytes, 3 both).
 */
export function eventLine(schema, seed, mutation, options = {}) {
  const r = prng(seed);
  const tree = generate(schema, r, options);
  if (mutation === 1 || mutation === 3) mutateTree(tree, r);
  const text = spell(tree, r, { ws: r() < 0.3 ? 0.2 : 0, escapes: r() < 0.3 ? 0.1 : 0, keyEscapes: r() < 0.05 && options.os === undefined ? 0.2 : 0 });
  const bytes = encoder.encode(text);
  return mutation >= 2 ? mutateBytes(bytes, r) : bytes;
}
