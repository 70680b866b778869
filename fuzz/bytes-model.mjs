/**
 * Generators and checks for csm-filter's selection on the bytes (core/bytes),
 * shared by the vitest properties (test/unit/bytes/) and the fuzzer
 * (fuzz/targets/bytes.mjs): events of the corpus, mutated (duplicate keys,
 * escaped keys, big and odd numbers, `\u` escapes, invalid UTF-8, control
 * characters, truncations, nesting, arrays or scalars where objects are
 * expected, JSON that is no object), and filter specs (kinds, --where,
 * --secl, --field, --count-by, time windows, invert). The library functions
 * are passed in, so the same model runs on src/ (vitest) and on dist/ (fuzz).
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';

const INSERTED_MEMBERS = [
  '"evt":{"name":"open"},', '"evt":"exec",', '"evt":[{"name":"exec"}],', '"name":"exec",', '"process":[1],', '"process":"x",',
  '"agent":{"rule_id":"heartbeat"},', '"agent":{"rule_id":"ruleset_loaded","origin":"ebpfless"},', '"__proto__":{"x":1},',
  '"args":["-c","/etc/**"],', '"uid":0,', '"uid":18446744073709551615,', '"path":"/etc/passwd",', '"inode":1.0,',
  '"date":"2024-08-01T00:00:01Z",', '"data":[],', '"attributes":{},', '"credentials":{"uid":-0},', '"name":null,',
  '"n\\u0061me":"exec",', '"\\u0065vt":{"name":"chmod"},', '"exec_time":"2024-08-01T06:00:00+02:00",',
];
const ESCAPED_KEYS = [
  ['"name"', '"n\\u0061me"'], ['"evt"', '"\\u0065vt"'], ['"process"', '"pro\\u0063ess"'], ['"path"', '"p\\u0061th"'],
  ['"uid"', '"\\u0075id"'], ['"args"', '"arg\\u0073"'], ['"file"', '"fil\\u0065"'], ['"agent"', '"\\u0061gent"'], ['"name"', '"nam\\u00e9"'],
];
const NUMBERS = [
  '18446744073709551615', '-0', '1.0', '1e400', '0', '4294967295', '1E2', '-1e-400', '9007199254740993', '1234567890123456',
  '0.1', '-12', '01', '1.', '-', '+1', '.5', '1e', '0x10', 'NaN',
];
const STRINGS = [
  '\\u00e9', '\\ud800', 'é', '☕', '\\"', '\\\\', '/etc/passwd', '/etc/shadow', 'exec', '\\u0000', '\t', '\\x', '\\u12',
  '\\/etc\\/passwd', '2024-08-01T00:00:00Z', '2024-08-01T12:00:00.5+02:00', 'not a date', '', '\\ud83d\\ude00', '\u007f',
];
const BYTES = [[0xff], [0xc0, 0x80], [0xe2, 0x98], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3, 0xa9], [0xef, 0xbb, 0xbf], [0x00], [0x0c], [0xc2, 0xa0]];
const WHITESPACE = [' ', '\t', '\r', '\n', '  \t ', '\f', '\u00a0', '\v'];
const TOPS = [
  '[1]', '"x"', 'null', '1', '[]', ' {} ', '{}', '', '   ', '{"evt":{"name":"exec"}} x', '{"evt":{"name":"exec"}}}', '{"evt":{"name":"exec"},}',
  `{"evt":{"name":"exec"},"x":${'['.repeat(600)}${']'.repeat(600)}}`, `{"evt":{"name":"exec"},"x":${'['.repeat(300)}${']'.repeat(300)}}`,
  `${'{"a":'.repeat(520)}1${'}'.repeat(520)}`, '{"evt":{"name":"exec"},"evt":{"name":"open"}}', '{"evt":{"name":"exec"},"evt":5}',
  '{"evt":{"name":"exec","name":"open"}}', '{"evt":{"name":"exec"},"process":{"args":["-c"]},"process":{"pid":1}}',
  '{"\\u0065vt":{"n\\u0061me":"exec"}}', '{"evt":{"name":"exec"}', '{"evt":{"name":"exe', 'nul', 'tru', '{"a":tru}', '{"a":nulll}',
];

/** Every index where `needle` starts in `text`. */
function positions(text, needle) {
  const out = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function nth(list, k) {
  return list.length === 0 ? undefined : list[k % list.length];
}

/** One mutation, as data: what to do, where (`at`) and with what (`pick`). */
const mutation = fc.record({
  kind: fc.constantFrom('insertMember', 'appendMember', 'escapeKey', 'number', 'string', 'bytes', 'truncate', 'whitespace', 'arrayfy', 'top'),
  at: fc.nat(),
  pick: fc.nat(),
});

function insertAt(buf, i, add) {
  return Buffer.concat([buf.subarray(0, i), Buffer.from(add), buf.subarray(i)]);
}

function replaceAt(buf, i, length, add) {
  return Buffer.concat([buf.subarray(0, i), Buffer.from(add), buf.subarray(i + length)]);
}

/** Applies one mutation to a line's bytes. */
export function mutate(buf, { kind, at, pick }) {
  const text = buf.toString('latin1');
  switch (kind) {
    case 'insertMember': {
      const i = nth(positions(text, '{'), at);
      return i === undefined ? buf : insertAt(buf, i + 1, nth(INSERTED_MEMBERS, pick));
    }
    case 'appendMember': {
      const i = nth(positions(text, '}'), at);
      return i === undefined ? buf : insertAt(buf, i, `,${nth(INSERTED_MEMBERS, pick).slice(0, -1)}`);
    }
    case 'escapeKey': {
      const [from, to] = nth(ESCAPED_KEYS, pick);
      const i = nth(positions(text, `${from}:`), at);
      return i === undefined ? buf : replaceAt(buf, i, from.length, to);
    }
    case 'number': {
      const found = [...text.matchAll(/(?<=[:,[])-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/g)];
      const m = nth(found, at);
      return m === undefined ? buf : replaceAt(buf, m.index, m[0].length, nth(NUMBERS, pick));
    }
    case 'string': {
      const found = [...text.matchAll(/(?<=:)"(?:[^"\\]|\\.)*"/g)];
      const m = nth(found, at);
      return m === undefined ? buf : replaceAt(buf, m.index + 1, m[0].length - 2, nth(STRINGS, pick));
    }
    case 'bytes':
      return insertAt(buf, buf.length === 0 ? 0 : at % buf.length, nth(BYTES, pick));
    case 'truncate':
      return buf.subarray(0, buf.length === 0 ? 0 : at % buf.length);
    case 'whitespace': {
      const i = nth([...positions(text, ':'), ...positions(text, ','), ...positions(text, '[')], at);
      return i === undefined ? buf : insertAt(buf, i + 1, nth(WHITESPACE, pick));
    }
    case 'arrayfy': {
      // A value that the filter reads as an object becomes a list or a scalar.
      const keys = ['"evt":', '"process":', '"file":', '"agent":', '"credentials":', '"args":', '"name":'];
      const key = nth(keys, pick);
      const i = nth(positions(text, key), at);
      if (i === undefined) return buf;
      const wrap = ['[', '[[', '5,"x":'][pick % 3];
      const j = i + key.length;
      if (wrap === '5,"x":') return insertAt(buf, j, wrap);
      // A list around the value: find the value's end with JSON.parse of growing prefixes (cheap on short lines).
      const close = wrap === '[' ? ']' : ']]';
      for (let e = j + 1; e <= buf.length; e++) {
        try {
          JSON.parse(buf.subarray(j, e).toString('utf8'));
          const next = buf[e];
          if (next === 0x2c || next === 0x7d) return insertAt(insertAt(buf, e, close), j, wrap);
        } catch {
          /* not yet a whole value */
        }
      }
      return buf;
    }
    case 'top':
      return Buffer.from(nth(TOPS, pick));
  }
  return buf;
}

const KINDS = ['exec', 'open', 'chmod', 'dns', 'ruleset_loaded', 'heartbeat', 'signal', 'bind'];
const WHERE = [
  'file.path =~ "/etc/**" and process.credentials.uid == 0',
  'process.pid > 1000',
  'exists(process.args)',
  'process.args == "-c"',
  'evt.name in ["exec", "open"]',
  'process.ancestors[*].file.name == "bash"',
  'file.inode == 18446744073709551615',
  'process.credentials.uid == 18446744073709551615',
  'process.credentials.auid == 4294967295',
  'not exists(evt.name)',
  'process.args[0] =~ "/usr/**"',
  'evt["name"] == "exec"',
  'process.pid & 1 == 0',
  'date >= "2024-08-01T00:00:00Z"',
  'file.mode == 33261 or file.inode == 1.0',
  'exists(process)',
  'agent.rule_id == "heartbeat"',
  'process.credentials == null',
  'usr.id == "x"',
  'file.path =~ r"^/etc/" or process.args =~ "*passwd*"',
  '__proto__.x == 1',
];
const SECL = [
  'exec.file.path =~ "/usr/**"',
  'process.uid == 0',
  'open.file.path == "/etc/passwd"',
  'process.ancestors.file.name == "bash"',
  'process.file.path != ""',
  'exec.args_flags == "c"',
  'event.origin == "ebpf"',
  'process.pid == ${process.pid}',
  'process.auid == 4294967295',
  'chmod.file.destination.mode & 73 > 0',
  'process.user == "root" && ${x} == 1',
  'exec.args in ["-c"]',
];
const FIELDS = ['process.args', 'evt.name', 'process.ancestors[*].file.path', 'file', 'process.args[0]', 'agent', 'process.credentials.uid', 'file.inode', '__proto__', 'n.a'];
const COUNT_BY = ['evt.name', 'process.credentials.uid', 'file.inode', 'process.args', 'agent.rule_id', 'process.ancestors[*].pid'];
const TIMES = [
  { field: 'date', since: '2024-08-01T00:00:00Z' },
  { field: 'date', until: '2024-08-01T12:00:00Z' },
  { field: 'process.exec_time', since: '2020-01-01T00:00:00Z', until: '2030-01-01T00:00:00Z' },
  { field: 'process.ancestors[*].exec_time', since: '2024-07-31T00:00:00Z' },
];

/** A filter spec (FilterSpec) and, sometimes, --count-by paths. */
export const filterSpec = fc
  .record({
    kinds: fc.subarray(KINDS, { maxLength: 3 }),
    where: fc.subarray(WHERE, { maxLength: 2 }),
    secl: fc.subarray(SECL, { maxLength: 2 }),
    invert: fc.boolean(),
    fields: fc.subarray(FIELDS, { maxLength: 3 }),
    time: fc.option(fc.constantFrom(...TIMES), { nil: undefined }),
    countBy: fc.option(fc.subarray(COUNT_BY, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 4 }),
  })
  .map((s) => ({
    spec: {
      kinds: s.kinds,
      where: s.where,
      secl: s.secl,
      invert: s.invert && (s.kinds.length > 0 || s.where.length > 0 || s.secl.length > 0),
      fields: s.countBy === undefined ? s.fields : [],
      ...(s.time !== undefined ? { time: s.time } : {}),
    },
    countBy: s.countBy,
  }));

/** Lines: an event of `events` (strings) under 0 to 4 mutations, as a Line. */
export function mutatedLines(events) {
  return fc
    .tuple(fc.constantFrom(...events), fc.array(mutation, { maxLength: 4 }))
    .map(([event, mutations]) => mutations.reduce(mutate, Buffer.from(event)));
}

/** A Line as the splitter makes it (the bytes may be a view into a bigger chunk). */
export function lineOf(bytes, n = 1) {
  const chunk = Buffer.concat([Buffer.from('{"x":1}\n'), bytes, Buffer.from('\n')]);
  return { line: n, offset: 8, bytes: chunk.subarray(8, 8 + bytes.length) };
}

/**
 * The check: for a spec and lines, the verdict on the bytes equals the
 * ordinary one (status, kind, output, issues, every field). `lib` holds
 * compileFilter, filterLine, byteLineStep, compileCountBy, fieldPrinter.
 * Returns how many lines the byte pass decided (not handed to filterLine).
 */
export function checkSameVerdicts(lib, { spec, countBy }, lines, maxLineBytes) {
  const filter = lib.compileFilter(spec, { index: null });
  let render;
  let renderPaths = [];
  if (countBy !== undefined) {
    const compiled = lib.compileCountBy(countBy, null);
    render = compiled.keys;
    renderPaths = compiled.paths;
  } else if (filter.projector !== undefined) {
    const printer = lib.fieldPrinter(filter.projector, { format: 'ndjson', flat: false, header: false });
    render = (e) => printer.record(e.exact(), e.envelope);
  }
  const step = lib.byteLineStep(filter, renderPaths, maxLineBytes, render);
  assert.ok(step !== undefined, 'the filter reads known paths: the byte step exists');
  for (const [n, bytes] of lines.entries()) {
    const line = lineOf(bytes, n + 1);
    const ordinary = lib.filterLine(line, filter, maxLineBytes, render);
    const onBytes = step(line);
    assert.deepStrictEqual(onBytes, ordinary, `line ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`);
  }
}

/** What the byte pass accepts: one JSON object, in UTF-8, nesting at most `maxDepth` (the reference). */
export function acceptsReference(bytes, maxDepth) {
  if (!isUtf8(bytes)) return false;
  let value;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // Depth: brackets outside strings.
  let depth = 0;
  let max = 0;
  const text = bytes.toString('utf8');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max - 1 <= maxDepth;
}
