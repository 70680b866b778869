import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { JsonNumber, type JsonValue } from '../../../src/core/json/value.js';
import { buildSchemaIndex, type SchemaIndex } from '../../../src/core/schema-index.js';
import { compileQuery, compareCodePoints } from '../../../src/query/index.js';

const schema = buildSchemaIndex(
  JSON.parse(readFileSync(new URL('../../../schema/backend_linux.schema.json', import.meta.url), 'utf8')) as object,
);

function compiled(query: string, index: SchemaIndex | null = null) {
  const q = compileQuery(query, { schema: index });
  if (!q.ok) throw new Error(`${query}: ${q.errors.map((e) => e.message).join('; ')}`);
  return q.match;
}

/** Input, query, verdict — as in jaq's `give`. */
function expectMatch(event: JsonValue, query: string, expected: boolean, index: SchemaIndex | null = null): void {
  expect(compiled(query, index)(event), `${query} on ${JSON.stringify(event)}`).toBe(expected);
}

const exec: JsonValue = {
  evt: { name: 'exec', category: 'Process Activity' },
  process: {
    pid: 4242,
    uid: 0,
    comm: 'bash',
    tty: null,
    is_thread: false,
    args: ['-c', 'curl http://x | sh'],
    envs: [],
    executable: { path: '/usr/bin/bash', name: 'bash', inode: new JsonNumber('18446744073709551615') },
    ancestors: [
      { comm: 'sshd', file: { name: 'sshd', path: '/usr/sbin/sshd' }, pid: 100 },
      { comm: 'systemd', file: { name: 'systemd', path: '/lib/systemd/systemd' }, pid: 1 },
    ],
  },
  mount: { 'mountpoint.path': '/mnt/data', 'source.path': '/dev/sda1' },
  file: { path: '/tmp/x.sh', mode: 493, size: 1.5 },
};

describe('comparisons', () => {
  test.each<[string, boolean]>([
    ['process.comm == "bash"', true],
    ['process.comm == "sh"', false],
    ['process.comm != "sh"', true],
    ['process.comm != "bash"', false],
    ['process.pid == 4242', true],
    ['process.pid == 4242.0', true],
    ['process.pid == 4.242e3', true],
    ['process.pid != 4242', false],
    ['process.pid > 4000', true],
    ['process.pid >= 4242', true],
    ['process.pid < 4242', false],
    ['process.pid <= 4242', true],
    ['process.uid == 0', true],
    ['process.uid == -0', true],
    ['process.is_thread == false', true],
    ['process.is_thread == true', false],
    ['process.is_thread != true', true],
    ['process.tty == null', true],
    ['process.comm == null', false],
    ['process.comm < "bat"', true],
    ['process.comm > "bas"', true],
    ['process.comm >= "bash"', true],
    ['process.comm < "Bash"', false],
    ['file.size == 1.5', true],
    ['file.size == 1.50', true],
    ['file.size < 1.500001', true],
    ['file.size > 1', true],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });
});

describe('no conversions; type mismatches are false (and their negations true)', () => {
  test.each<[string, boolean]>([
    ['process.pid == "4242"', false],
    ['process.pid != "4242"', true],
    ['process.comm == 0', false],
    ['process.uid == false', false],
    ['process.uid == null', false],
    ['process.is_thread == 0', false],
    ['process.pid < "5000"', false],
    ['process.pid >= "0"', false],
    ['process.comm > 0', false],
    ['process.pid =~ "4*"', false],
    ['process.pid !~ "4*"', true],
    ['process.executable == "bash"', false],
    ['process.executable.inode =~ "1*"', false],
    ['process.tty < 1', false],
    ['process.tty > ""', false],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });
});

describe('missing fields', () => {
  test.each<[string, boolean]>([
    ['process.nope == "x"', false],
    ['process.nope != "x"', true],
    ['process.nope < 1', false],
    ['process.nope >= 1', false],
    ['process.nope =~ "**"', false],
    ['process.nope !~ "**"', true],
    ['process.nope in ["x"]', false],
    ['process.nope not in ["x"]', true],
    ['process.nope == null', false],
    ['exists(process.nope)', false],
    ['not exists(process.nope)', true],
    ['nothing.at.all == 1', false],
    ['process.comm.deeper == "x"', false],
    ['process.args[5] == "x"', false],
    ['process.args[-5] == "x"', false],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });

  test('!= is exactly not ==, for every event', () => {
    const events: JsonValue[] = [exec, {}, { process: null }, { process: { comm: ['bash', 'sh'] } }, { process: { comm: [] } }];
    for (const e of events) {
      expect(compiled('process.comm != "bash"')(e)).toBe(compiled('not process.comm == "bash"')(e));
      expect(compiled('process.comm !~ "b*"')(e)).toBe(compiled('not (process.comm =~ "b*")')(e));
      expect(compiled('process.comm not in ["bash"]')(e)).toBe(compiled('not process.comm in ["bash"]')(e));
    }
  });
});

describe('null and exists', () => {
  test.each<[string, boolean]>([
    ['exists(process.tty)', true],
    ['exists(process.envs)', true],
    ['exists(process.envs[*])', false],
    ['exists(process.args[1])', true],
    ['exists(process.ancestors[*].file.path)', true],
    ['exists(process.ancestors[*].nope)', false],
    ['exists(mount["mountpoint.path"])', true],
    ['exists(process)', true],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });
});

describe('arrays: a comparison holds if any element matches', () => {
  test.each<[string, boolean]>([
    ['process.args == "-c"', true],
    ['process.args == "curl http://x | sh"', true],
    ['process.args == "-x"', false],
    ['process.args != "-c"', false],
    ['process.args[0] == "-c"', true],
    ['process.args[1] == "-c"', false],
    ['process.args[-1] =~ "curl**"', true],
    ['process.args[-1] =~ "curl*"', false],
    ['process.args[*] == "-c"', true],
    ['process.args =~ "**sh"', true],
    ['process.args in ["-c", "-e"]', true],
    ['process.envs == "X=1"', false],
    ['process.envs != "X=1"', true],
    ['process.ancestors[*].file.name == "sshd"', true],
    ['process.ancestors[*].file.name == "init"', false],
    ['process.ancestors[*].pid < 2', true],
    ['process.ancestors[*].pid > 1000', false],
    ['process.ancestors[0].comm == "sshd"', true],
    ['process.ancestors[-1].comm == "systemd"', true],
    ['process.ancestors.file.name == "sshd"', false],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });

  test('arrays reached through [*] are fanned out once more', () => {
    const e: JsonValue = { a: [{ tags: ['x', 'y'] }, { tags: ['z'] }] };
    expectMatch(e, 'a[*].tags == "z"', true);
    expectMatch(e, 'a[*].tags == "w"', false);
  });

  test('an array of arrays is fanned out one level only', () => {
    expectMatch({ a: [['x']] }, 'a == "x"', false);
    expectMatch({ a: [['x']] }, 'a[*] == "x"', true);
  });
});

describe('in and not in', () => {
  test.each<[string, boolean]>([
    ['process.comm in ["sh", "bash"]', true],
    ['process.comm in ["sh", "zsh"]', false],
    ['process.comm in []', false],
    ['process.comm not in []', true],
    ['process.comm not in ["bash"]', false],
    ['process.pid in [1, 4242.0]', true],
    ['process.pid in ["4242"]', false],
    ['process.tty in [null]', true],
    ['process.is_thread in [false]', true],
    ['process.executable.inode in [18446744073709551615]', true],
    ['process.executable.inode in [18446744073709551614, 1]', false],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });
});

describe('boolean operators', () => {
  test.each<[string, boolean]>([
    ['process.comm == "bash" and process.uid == 0', true],
    ['process.comm == "bash" && process.uid == 1', false],
    ['process.comm == "sh" or process.uid == 0', true],
    ['process.comm == "sh" || process.uid == 1', false],
    ['not process.comm == "sh"', true],
    ['!process.comm == "bash"', false],
    ['not not process.comm == "bash"', true],
    ['process.uid == 1 and process.uid == 0 or process.comm == "bash"', true],
    ['process.uid == 1 and (process.uid == 0 or process.comm == "bash")', false],
    ['not (process.uid == 1 or process.comm == "sh")', true],
  ])('%s -> %s', (query, expected) => {
    expectMatch(exec, query, expected);
  });
});

describe('globs (whole string)', () => {
  test.each<[string, string, boolean]>([
    ['/usr/bin/*', '/usr/bin/bash', true],
    ['/usr/bin/*', '/usr/bin/x/bash', false],
    ['/usr/bin/*', '/usr/bin/', true],
    ['/usr/**', '/usr/bin/x/bash', true],
    ['/usr/**/bash', '/usr/bin/x/bash', true],
    ['/usr/**/bash', '/usr/bash', false],
    ['**/bash', '/usr/bin/bash', true],
    ['*.sh', 'x.sh', true],
    ['*.sh', '/tmp/x.sh', false],
    ['**.sh', '/tmp/x.sh', true],
    ['/tmp/?.sh', '/tmp/x.sh', true],
    ['/tmp/?.sh', '/tmp/xy.sh', false],
    ['/tmp?x.sh', '/tmp/x.sh', false],
    ['/tmp/[xyz].sh', '/tmp/y.sh', true],
    ['/tmp/[!xyz].sh', '/tmp/y.sh', false],
    ['/tmp/[^xyz].sh', '/tmp/a.sh', true],
    ['/tmp[!a]x', '/tmp/x', false],
    ['/tmp/[a-c]*', '/tmp/beta', true],
    ['/tmp/[a-c]*', '/tmp/delta', false],
    ['[]]', ']', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['bash', 'bash', true],
    ['bash', 'bash2', false],
    ['ba', 'bash', false],
    ['', '', true],
    ['*', '', true],
    ['?', '😀', true],
    ['*/x', '/x', true],
    ['*/x', 'a/x', true],
    ['*/x', 'a/b/x', false],
    ['a**b', 'a/x/b', true],
    ['a*?*', 'ab', true],
    ['a.b', 'axb', false],
    ['(a|b)', '(a|b)', true],
    ['(a|b)', 'a', false],
    ['x\ny', 'x\ny', true],
    ['**', 'a\nb/c', true],
  ])('%j matches %j: %s', (glob, value, expected) => {
    expectMatch({ s: value }, `s =~ ${JSON.stringify(glob)}`, expected);
    expectMatch({ s: value }, `s !~ ${JSON.stringify(glob)}`, !expected);
  });

  test('many stars on a long string stay linear', () => {
    const match = compiled(`s =~ "**${'a*'.repeat(30)}b"`);
    const start = performance.now();
    expect(match({ s: 'a'.repeat(100_000) })).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('regexes (RE2, searching)', () => {
  test.each<[string, string, boolean]>([
    ['^/tmp/[^/]+\\.sh$', '/tmp/x.sh', true],
    ['^/tmp/[^/]+\\.sh$', '/tmp/a/x.sh', false],
    ['curl', 'echo | curl http://x', true],
    ['^curl', 'echo | curl http://x', false],
    ['(?i)BASH', 'bash', true],
    ['say "hi"', 'they say "hi"', true],
    ['\\d+', 'abc123', true],
    ['^.$', '😀', true],
  ])('r%j on %j: %s', (re, value, expected) => {
    const literal = 'r"' + re.replace(/"/g, '\\"') + '"';
    expectMatch({ s: value }, `s =~ ${literal}`, expected);
    expectMatch({ s: value }, `s !~ ${literal}`, !expected);
  });

  test('r"(a+)+$" against 100,000 a\'s and a b finishes in well under a second', () => {
    const match = compiled('s =~ r"(a+)+$"');
    const anchored = compiled('s =~ r"^(a+)+$"');
    const s = 'a'.repeat(100_000) + 'b';
    const start = performance.now();
    expect(match({ s })).toBe(false);
    expect(anchored({ s })).toBe(false);
    expect(match({ s: s.slice(0, -1) })).toBe(true);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('exact numbers', () => {
  const inode = (raw: string): JsonValue => ({ inode: new JsonNumber(raw) });

  test.each<[JsonValue, string, boolean]>([
    [inode('18446744073709551615'), 'inode == 18446744073709551615', true],
    [inode('18446744073709551614'), 'inode == 18446744073709551615', false],
    [inode('18446744073709551614'), 'inode != 18446744073709551615', true],
    [inode('18446744073709551615'), 'inode > 9007199254740993', true],
    [inode('9007199254740993'), 'inode > 9007199254740992', true],
    [inode('9007199254740993'), 'inode == 9007199254740992', false],
    [{ inode: 9007199254740992 }, 'inode == 9007199254740993', false],
    [{ inode: 9007199254740992 }, 'inode < 9007199254740993', true],
    [inode('18446744073709551615'), 'inode >= 18446744073709551615', true],
    [inode('18446744073709551615'), 'inode < 18446744073709551616', true],
    [inode('1.50'), 'inode == 1.5', true],
    [inode('-0'), 'inode == 0', true],
    [inode('-0'), 'inode < 0', false],
    [inode('1e2'), 'inode == 100', true],
    [{ inode: 100 }, 'inode == 1e2', true],
    [{ inode: 0.1 }, 'inode == 0.1', true],
    [{ inode: 0.1 }, 'inode == 0.10000000000000001', false],
    [{ inode: 0.1 }, 'inode < 0.10000000000000001', true],
    [{ inode: -1 }, 'inode == -1', true],
    [{ inode: -100 }, 'inode < -99', true],
    [{ inode: 5 }, 'inode > 4.999999999999999999999', true],
    [inode('18446744073709551615'), 'inode in [1, 18446744073709551615]', true],
  ])('%j: %s -> %s', (event, query, expected) => {
    expectMatch(event, query, expected);
  });
});

describe('exact numbers against strings', () => {
  test('JsonNumber values do not confuse it', () => {
    const q = compileQuery('a == "18446744073709551615"');
    expect(q.ok && q.match({ a: new JsonNumber('18446744073709551615') })).toBe(false);
  });
});

describe('strings order by code point', () => {
  test('U+FFFF sorts before U+1F600 although its UTF-16 unit is larger', () => {
    expect('\uffff' < '😀').toBe(false); // code units: 0xFFFF > 0xD83D
    expect(compareCodePoints('\uffff', '😀')).toBe(-1);
    expectMatch({ s: '\uffff' }, 's < "😀"', true);
    expectMatch({ s: '😀' }, 's > "\uffff"', true);
  });

  test('prefixes sort first', () => {
    expect(compareCodePoints('ab', 'abc')).toBe(-1);
    expect(compareCodePoints('abc', 'ab')).toBe(1);
    expect(compareCodePoints('', '')).toBe(0);
  });
});

describe('with the schema', () => {
  test('dotted keys resolve to the schema key', () => {
    expectMatch(exec, 'mount.mountpoint.path == "/mnt/data"', true, schema);
    expectMatch(exec, 'mount.source.path =~ "/dev/*"', true, schema);
    expectMatch(exec, 'mount["mountpoint.path"] == "/mnt/data"', true, null);
    // without the schema the dots are steps, and the event has no such nesting
    expectMatch(exec, 'mount.mountpoint.path == "/mnt/data"', false, null);
  });
});

describe('safety', () => {
  test('keys named like Object.prototype members only match own keys', () => {
    const polluted = JSON.parse('{"a": {"__proto__": "x", "constructor": "y"}}') as JsonValue;
    expectMatch(polluted, 'a["__proto__"] == "x"', true);
    expectMatch(polluted, 'a.constructor == "y"', true);
    expectMatch({ a: {} }, 'exists(a.constructor)', false);
    expectMatch({ a: {} }, 'exists(a.toString)', false);
    expectMatch({ a: {} }, 'exists(a.__proto__)', false);
    expectMatch({ a: [] }, 'exists(a.length)', false);
  });

  test('any JSON value as the event never throws', () => {
    const match = compiled(
      'a == 1 or a.b < "x" or a[*].c =~ "*" or a[-1] in [1, "x", null] or exists(a.b[0]) or a =~ r"x" or a > 18446744073709551615',
    );
    const values: JsonValue[] = [null, true, 0, 'a', [], {}, [null], { a: null }, { a: [1, 'x', null, [], {}] },
      { a: new JsonNumber('18446744073709551616') }, { a: { b: [new JsonNumber('1e400')] } }, { a: 'x' }];
    for (const v of values) expect(() => match(v)).not.toThrow();
  });

  test('compile.ts builds no code from text', () => {
    const source = readFileSync(new URL('../../../src/query/compile.ts', import.meta.url), 'utf8');
    expect(source).not.toContain('new Function');
    expect(source).not.toContain('eval(');
    expect(source).not.toContain('vm.');
  });
});

describe('limits', () => {
  test('10,000 nested parentheses give a depth error from compileQuery, not a crash', () => {
    const q = compileQuery('('.repeat(10_000) + 'a == 1' + ')'.repeat(10_000));
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.errors[0].code).toBe('depth');
  });

  test('a chain of 10,000 conditions compiles and evaluates', () => {
    const q = compileQuery(Array.from({ length: 10_000 }, (_, i) => `a != ${i}`).join(' and '));
    expect(q.ok && q.match({ a: 10_000 })).toBe(true);
    expect(q.ok && q.match({ a: 5_000 })).toBe(false);
  });
});

describe('bitwise and: exact on integers of any size', () => {
  const U64 = '18446744073709551615';
  test.each<[JsonValue, string, boolean]>([
    [{ m: 0o104755 }, 'm & 0o4000 != 0', true],
    [{ m: 0o100755 }, 'm & 0o4000 != 0', false],
    [{ m: 0o100755 }, 'm & 0o4000 == 0', true],
    [{ m: 6 }, 'm & 4 == 4', true],
    [{ m: 3 }, 'm & 4 == 4', false],
    [{ m: new JsonNumber('6.0') }, 'm & 4 == 4', true],
    [{ m: new JsonNumber('4e3') }, 'm & 0b100000 == 32', true], // 4000 = 0b111110100000
    [{ m: new JsonNumber('1e400') }, 'm & 0xFFFF == 0', true], // 2^400 divides it
    [{ m: new JsonNumber(U64) }, `m & ${U64} == ${U64}`, true],
    [{ m: new JsonNumber(U64) }, `m & 0xFFFFFFFFFFFFFFFF == 18446744073709551614`, false],
    [{ m: new JsonNumber('18446744073709551614') }, 'm & 1 == 0', true],
    [{ m: new JsonNumber(U64) }, 'm & 0x8000000000000000 == 9223372036854775808', true],
    [{ m: new JsonNumber('9223372036854775807') }, 'm & 0x8000000000000000 == 0', true],
    [{ m: new JsonNumber('36893488147419103231') }, 'm & 0x10000000000000000 > 0', true], // 2^65 - 1
    [{ m: [1, 2, 4] }, 'm & 4 == 4', true],
    [{ m: 3 }, 'm & 4 in [0, 8]', true],
    // not a non-negative integer: no bits, so false (and != true)
    [{ m: -1 }, 'm & 1 == 1', false],
    [{ m: -1 }, 'm & 1 != 1', true],
    [{ m: 1.5 }, 'm & 1 == 1', false],
    [{ m: '1' }, 'm & 1 == 1', false],
    [{ m: null }, 'm & 1 == 0', false],
    [{}, 'm & 1 == 0', false],
    [{}, 'm & 1 != 0', true],
  ])('%j: %s -> %s', (event, query, expected) => {
    expectMatch(event, query, expected);
  });
});

describe('instants: a date-time field of the schema against an RFC 3339 string', () => {
  test.each<[string, string, boolean]>([
    ['2024-08-01T08:00:00+02:00', 'date == "2024-08-01T06:00:00Z"', true],
    ['2024-08-01t06:00:00z', 'date == "2024-08-01T06:00:00Z"', true],
    ['2024-08-01T06:00:00.000000000Z', 'date == "2024-08-01T06:00:00Z"', true],
    ['2024-08-01T06:00:00.000000001Z', 'date > "2024-08-01T06:00:00Z"', true],
    ['2024-08-01T06:00:00.000000001Z', 'date < "2024-08-01T06:00:00.0000000011Z"', true],
    ['2024-08-01T09:59:59.999999999+04:00', 'date < "2024-08-01T06:00:00Z"', true],
    ['2024-08-01T00:30:00-05:30', 'date == "2024-08-01T06:00:00Z"', true],
    ['2024-07-31T23:59:60Z', 'date > "2024-08-01T01:59:59.999+02:00"', true], // after 23:59:59.999Z
    ['2024-07-31T23:59:60Z', 'date < "2024-07-31T20:00:00-04:00"', true], // before midnight UTC
    ['2024-08-01T06:00:00Z', 'date in ["2024-08-01T08:00:00+02:00"]', true],
    ['2024-08-01T06:00:00Z', 'date not in ["2024-08-01T08:00:00+02:00"]', false],
    ['2024-08-01T06:00:00Z', 'date != "2024-08-01T08:00:00+02:00"', false],
    // an event value that is no date-time: a mismatch
    ['2024-08-01 06:00:00Z', 'date >= "2000-01-01T00:00:00Z"', false],
    ['2024-08-01T24:00:00Z', 'date < "2999-01-01T00:00:00Z"', false],
  ])('%s: %s -> %s', (date, query, expected) => {
    expectMatch({ date }, query, expected, schema);
  });

  test('a number where the date should be is a mismatch; a date beside it still compares', () => {
    expectMatch({ date: 1722492000 }, 'date > "2000-01-01T00:00:00Z"', false, schema);
    expectMatch({ date: [1722492000, '2024-08-01T08:00:00+02:00'] }, 'date == "2024-08-01T06:00:00Z"', true, schema);
  });

  test('without a schema, strings compare as strings (code points)', () => {
    expectMatch({ date: '2024-08-01T08:00:00+02:00' }, 'date == "2024-08-01T06:00:00Z"', true, schema);
    expectMatch({ date: '2024-08-01T08:00:00+02:00' }, 'date == "2024-08-01T06:00:00Z"', false);
    expectMatch({ date: '2024-08-01T08:00:00+02:00' }, 'date > "2024-08-01T07:00:00Z"', true);
  });
});
