// The VARIED benchmark stream (bench/generate.mjs --shape varied): events that walk the bundled
// schema schema/backend_linux.schema.json (linux-2024-08) instead of copying an agent's layout.
// Every kind of the tools' table (src/core/kinds.ts, read from dist/) with its sections, random
// optional sections and random subsets of the optional keys at every level (in schema order or
// shuffled), `\u` escapes in strings (ASCII letters too, non-BMP characters as surrogate pairs,
// rarely in keys), non-ASCII text (accents, CJK, emoji), 16- to 20-digit integers in ~30% of the
// lines (only where the schema says integer) and a share of invalid lines, each broken in one
// known way: broken JSON, a schema error (wrong type, unknown key, missing required key) or a bad
// date-time. Deterministic: the same seed and options give the same bytes.
import { readFileSync } from 'node:fs';
import { prng } from './prng.mjs';

const SCHEMA_FILE = new URL('../schema/backend_linux.schema.json', import.meta.url);
const KINDS_MODULE = new URL('../dist/core/kinds.js', import.meta.url);

/** What one line was made to be; check-generator.mjs compares it with csm-validate's verdict. */
export const INTENTS = ['valid', 'json', 'type', 'unknown-key', 'required', 'date-time'];

export async function loadVaried() {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  let kinds;
  try {
    ({ EVENT_KINDS: kinds } = await import(KINDS_MODULE.href));
  } catch {
    throw new Error('bench/varied.mjs reads the event kinds from dist/: run `npm run build` first');
  }
  return { schema, kinds };
}

// ---------------------------------------------------------------- vocabulary
const WORDS = ['alpha', 'deploy', 'nginx', 'worker', 'cron', 'backup', 'token', 'session', 'kube', 'proxy', 'cache', 'index'];
const ACCENTED = ['café', 'naïve', 'rené', 'über', 'façade', 'smørrebrød', 'jalapeño', 'Ærø', 'déjà-vu', 'señor'];
const CJK = ['数据', '报告', '备份', 'ファイル', 'パス', '설정', '日志', '検索'];
const EMOJI = ['☕', '🚀', '🔥', '🐳', '💾', '🔑', '✅', '🧪'];
const ETC = ['/etc/passwd', '/etc/shadow', '/etc/ssh/sshd_config', '/etc/sudoers.d/90-cloud-init', '/etc/ld.so.preload', '/etc/cron.d/数据', '/etc/☕/brew.conf'];
const DIRS = ['/usr/bin', '/tmp', '/var/log', '/home/rené', '/srv/数据', '/opt/app', '/dev/shm', '/root/.ssh', '/var/lib/docker/overlay2/☕'];
const USERS = [['root', 0], ['root', 0], ['www-data', 33], ['rené', 1000], ['deploy', 1001], ['데이터', 1002], ['nobody', 65534]];
const VERSIONS = ['7.50.3', '7.56.0', '7.60.1', '7.64.0-rc.2', '7.66.1', '7.70.2', '7.55.0-devel'];
const CAPS = ['CAP_CHOWN', 'CAP_SETUID', 'CAP_SYS_ADMIN', 'CAP_NET_RAW', 'CAP_KILL'];
const BAD_DATES = ['2024-08-01 12:00:00', '2024-02-30T10:00:00Z', 'yesterday', '2024-08-01T25:61:00Z', '2024-08-01T12:00:00+0200', '2024-08-01T12:00:00', '２０２４-08-01T12:00:00Z', '2024-13-01T00:00:00Z'];

export function variedGenerator({ schema, kinds }, seed) {
  const { rand, int, pick, chance, hex } = prng(seed); // its own sequence
  const shuffle = (arr) => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = int(0, i);
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  };
  const defs = schema.$defs;
  const deref = (node) => (node?.$ref ? defs[node.$ref.slice('#/$defs/'.length)] : node);

  let clock = Date.UTC(2024, 7, 1);
  const rfc3339 = (ms) => {
    const iso = new Date(ms).toISOString();
    switch (int(0, 4)) {
      case 0: return iso;
      case 1: return iso.replace('Z', `${String(int(0, 999999)).padStart(6, '0')}Z`);
      case 2: return new Date(ms - 5 * 3600_000).toISOString().replace('Z', '-05:00');
      case 3: return iso.replace(/\.\d+Z$/, 'z').replace('T', 't'); // lowercase: RFC 3339 allows it
      default: return iso.replace(/\.\d+Z$/, 'Z');
    }
  };

  const text = (words) => Array.from({ length: words }, () => {
    const r = rand();
    if (r < 0.45) return pick(WORDS);
    if (r < 0.65) return pick(ACCENTED);
    if (r < 0.8) return pick(CJK);
    if (r < 0.9) return pick(EMOJI);
    return hex(int(4, 12));
  }).join(pick([' ', '-', '_', '/', '\t', ' ']));
  const path = () => (chance(0.15) ? pick(ETC) : `${pick(DIRS)}/${text(int(1, 2)).replace(/[ \t/]/g, '_')}${pick(['', '.txt', '.sh', '.so.6', '.json'])}`);

  // The line being made: its big integers and the places its breaks can go.
  let line;
  const bigInt = () => {
    line.bigs++;
    if (chance(0.1)) return '18446744073709551615';
    return `${int(1, 9)}${Array.from({ length: int(15, 19) }, () => int(0, 9)).join('')}`;
  };

  function integer(key) {
    if (line.big && chance(0.2)) return new Raw(bigInt());
    if (/uid|gid$/.test(key)) return chance(0.35) ? 0 : pick(USERS)[1];
    if (/pid|tid/.test(key)) return int(1, 4_000_000);
    if (key === 'port') return int(0, 65535);
    if (key === 'mode') return pick([33188, 33261, 16877, 420]);
    return int(0, chance(0.5) ? 1000 : 2 ** 31);
  }

  function string(key, node) {
    if (node.format === 'date-time') return rfc3339(clock - int(0, 90 * 86_400_000));
    if (key === 'path' || key.endsWith('.path') || key.endsWith('_path')) return path();
    if (key === 'name' || key === 'comm' || key === 'argv0') return text(1);
    if (/user|group|username/.test(key)) return pick(USERS)[0];
    if (key === 'ip') return chance(0.8) ? `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}` : `fe80::${hex(4)}:${hex(4)}`;
    if (/(^|_)id$|tag|hash/.test(key)) return hex(pick([8, 16, 32, 64]));
    if (key === 'version') return pick(VERSIONS);
    return text(int(1, 6));
  }

  // An arbitrary JSON value, for schema nodes that allow anything (`true`, no type).
  function anything(depth) {
    switch (int(0, depth > 1 ? 3 : 5)) {
      case 0: return text(int(1, 3));
      case 1: return integer('x');
      case 2: return chance(0.5);
      case 3: return null;
      case 4: return Array.from({ length: int(0, 3) }, () => anything(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(1, 3) }, () => [pick(WORDS), anything(depth + 1)]));
    }
  }

  // A value for schema `node` under `key`, recording where it can be broken.
  function value(node, key, depth) {
    node = deref(node);
    if (node === true || node === undefined || node.type === undefined) return anything(depth);
    switch (node.type) {
      case 'object': return object(node, depth);
      case 'array': {
        const items = deref(node.items);
        const n = key === 'ancestors' ? int(1, 5) : int(0, items?.type === 'object' ? 2 : 4);
        return Array.from({ length: n }, () => value(items, key, depth + 1));
      }
      case 'string': return string(key, node);
      case 'integer': return integer(key);
      case 'boolean': return chance(0.5);
      default: return anything(depth);
    }
  }

  // Optional keys of a section get rarer with depth, which keeps lines at a few KB.
  const keep = (depth) => chance([0.55, 0.4, 0.27, 0.18, 0.1][depth] ?? 0.06);

  function object(node, depth, force = []) {
    const obj = {};
    const props = node.properties;
    if (props === undefined) { // a map (Variables, k8s_extra): free keys
      const vals = node.additionalProperties;
      for (let i = int(0, 3); i > 0; i--) obj[`${pick(WORDS)}_${hex(2)}`] = vals ? value(vals, 'v', depth + 1) : anything(depth + 1);
      return obj;
    }
    const required = new Set(node.required ?? []);
    const keys = Object.keys(props).filter((k) => required.has(k) || force.includes(k) || keep(depth));
    if (chance(0.3)) shuffle(keys);
    for (const k of keys) {
      obj[k] = value(props[k], k, depth + 1);
      const p = deref(props[k]);
      if (p?.type === 'string' || p?.type === 'integer' || p?.type === 'boolean') line.scalars.push({ obj, key: k, type: p.type, format: p.format });
    }
    if (node.additionalProperties === false) line.closed.push({ obj, props });
    if (required.size > 0) line.withRequired.push({ obj, required: [...required] });
    return obj;
  }

  const root = schema;
  const top = (name) => root.properties[name];

  function event() {
    clock += int(1, 400);
    const kind = chance(0.3) ? kinds[0] : pick(kinds); // kinds[0] is exec
    const agent = object(deref(top('agent')), 1, ['version']);
    agent.version = pick(VERSIONS); // < 7.71.0: judged by linux-2024-08, the schema walked here
    if (chance(0.8)) agent.os = 'linux';
    else delete agent.os;
    const evt = object(deref(top('evt')), 1);
    Object.assign(evt, { name: kind.name, category: kind.category });
    const ev = { agent, title: `${kind.name}: ${text(int(2, 5))}`, evt, date: rfc3339(clock) };
    line.scalars.push({ obj: ev, key: 'date', type: 'string', format: 'date-time' }, { obj: ev, key: 'title', type: 'string' });
    const sections = new Set([...kind.sections, 'process']);
    for (const name of Object.keys(root.properties)) {
      if (!(name in ev) && !sections.has(name) && chance(['container', 'cgroup', 'dd', 'usr', 'security_profile'].includes(name) ? 0.25 : 0.03)) sections.add(name);
    }
    for (const name of sections) {
      if (!root.properties[name]) continue;
      if (name === 'process') {
        const proc = object(deref(top('process')), 1, kind.name === 'exec' ? ['args', 'credentials'] : []);
        if (kind.name === 'exec' && chance(0.15) && proc.credentials) proc.credentials.uid = 0; // the -w scenario's root
        ev.process = proc;
      } else {
        ev[name] = value(top(name), name, 1);
      }
    }
    if (ev.file && kind.name === 'exec' && chance(0.2)) ev.file.path = pick(ETC);
    line.closed.push({ obj: ev, props: root.properties });
    line.withRequired.push({ obj: ev, required: root.required });
    if (chance(0.3)) { // shuffled in place: the recorded places of breaks stay in this object
      for (const k of shuffle(Object.keys(ev))) {
        const v = ev[k];
        delete ev[k];
        ev[k] = v;
      }
    }
    return ev;
  }

  // ---------------------------------------------------------------- serializing, with escapes
  const u = (code) => `\\u${code.toString(16).padStart(4, '0')}`;
  const ux = (code) => (chance(0.5) ? u(code) : u(code).toUpperCase().replace('\\U', '\\u'));
  function quote(s, escapeRate) {
    let out = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0);
      if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else if (code < 0x20) out += { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[code] ?? u(code);
      else if (escapeRate > 0 && chance(escapeRate)) {
        if (code > 0xffff) out += ux(0xd800 + ((code - 0x10000) >> 10)) + ux(0xdc00 + ((code - 0x10000) & 0x3ff));
        else if (ch === '/') out += chance(0.5) ? '\\/' : u(code);
        else out += ux(code);
      } else out += ch;
    }
    return `${out}"`;
  }
  function stringify(v) {
    if (v instanceof Raw) return v.text;
    if (typeof v === 'string') return quote(v, chance(0.15) ? 0.25 : 0);
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(stringify).join(',')}]`;
    return `{${Object.entries(v).map(([k, x]) => `${quote(k, line.keyEscapes && chance(0.05) ? 0.5 : 0)}:${stringify(x)}`).join(',')}}`;
  }

  // ---------------------------------------------------------------- breaking a line on purpose
  const wrong = { string: () => pick([int(0, 99), true, null, [text(1)]]), integer: () => pick([String(int(0, 999)), 1.5, true, new Raw('1e-400'), null]), boolean: () => pick(['true', 0, null]) };
  const BREAKS = {
    type: () => {
      const s = pick(line.scalars);
      s.obj[s.key] = wrong[s.type]();
    },
    'unknown-key': () => {
      const c = pick(line.closed);
      c.obj[pick(['severity', 'priority', 'tags_extra', `x_${hex(3)}`, 'donnée', '🔥'])] = pick([text(1), 3, true]);
    },
    required: () => {
      const r = pick(line.withRequired.filter((w) => w.required.some((k) => k in w.obj)));
      delete r.obj[pick(r.required.filter((k) => k in r.obj))];
    },
    'date-time': () => {
      const s = pick(line.scalars.filter((x) => x.format === 'date-time'));
      s.obj[s.key] = pick(BAD_DATES);
    },
  };
  const JSON_BREAKS = [
    (t) => t.slice(0, int(1, t.length - 2)), // truncated
    (t) => t + pick([' x', '}', ',', ' {"a":1}', ']']), // trailing garbage
    (t) => t.replace(/,"/, ',,"'), // double comma
    (t) => t.replace(/"title":"/, `"title":"${pick(['\t', '\u0001', '\u001f'])}`), // raw control character in a string
    (t) => t.replace(/"title":"/, '"title":"\\x41'), // bad escape
    (t) => t.replace(/:(\d+)([,}\]])/, ':0$1$2'), // leading zero
    (t) => t.replace(/"title":/, "'title':"), // single quotes
    (t) => t.slice(0, -1) + ',}', // trailing comma
  ];
  const RAW_BYTE_BREAK = (buf) => { // not UTF-8: one 0xff byte inside the title
    const i = buf.indexOf('"title":"') + 9;
    return Buffer.concat([buf.subarray(0, i), Buffer.from([0xff]), buf.subarray(i)]);
  };

  /** One line (a Buffer, no newline) and what it was made to be. */
  return function nextLine(invalidShare, blankShare) {
    if (chance(blankShare)) return { bytes: Buffer.from(pick(['', '  ', '\t'])), intent: 'blank' };
    line = { big: chance(0.3), bigs: 0, keyEscapes: chance(0.03), scalars: [], closed: [], withRequired: [] };
    const ev = event();
    if (line.big && line.bigs === 0) { // every such line has one at least: the first integer slot
      const s = line.scalars.find((x) => x.type === 'integer');
      if (s) s.obj[s.key] = new Raw(bigInt());
    }
    let intent = 'valid';
    if (chance(invalidShare)) {
      const r = rand();
      intent = r < 0.3 ? 'json' : r < 0.5 ? 'type' : r < 0.7 ? 'unknown-key' : r < 0.85 ? 'required' : 'date-time';
      if (intent !== 'json') BREAKS[intent]();
    }
    const textLine = stringify(ev);
    if (intent !== 'json') return { bytes: Buffer.from(textLine), intent };
    if (chance(0.12)) return { bytes: RAW_BYTE_BREAK(Buffer.from(textLine)), intent };
    let broken = pick(JSON_BREAKS)(textLine);
    if (parses(broken)) broken = JSON_BREAKS[0](textLine); // the break found no place in this line: truncate it
    return { bytes: Buffer.from(broken), intent };
  };
}

const parses = (t) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

// A number (or number-like text) written as its digits, not as a JS number.
class Raw {
  constructor(text) { this.text = text; }
}

/** Chunks of ~64 KB of whole lines until `size` bytes (the last line may go past it). */
export function* variedChunks(gen, { size, invalid, blank }) {
  for (let written = 0; written < size;) {
    const parts = [];
    let n = 0;
    while (n < 65536 && written + n < size) {
      const { bytes } = gen(invalid, blank);
      parts.push(bytes, NL);
      n += bytes.length + 1;
    }
    written += n;
    yield Buffer.concat(parts);
  }
}
const NL = Buffer.from('\n');
