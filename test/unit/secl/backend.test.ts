/** The backend event `FieldSource` (`src/secl/backend.ts`) on the corpus and small events. */
import { describe, expect, it } from 'vitest';
import { JsonNumber } from '../../../src/core/json/value.js';
import { existsSync, readFileSync } from 'node:fs';
import { argsFlags, argsOptions, backendEventType, backendFieldSource, parseTimeNs, readPath } from '../../../src/secl/backend.js';
import { compileRule } from '../../../src/secl/eval.js';
import { linuxFieldInfo, ruleEventTypes } from '../../../src/secl/fields.js';
import { SHARED } from '../../helpers/run.js';

/** The project's exact number, as the lossless parser gives it. */
const ExactNumber = JsonNumber;

const CORPUS = `${SHARED}corpus/events.ndjson`;
const corpus = existsSync(CORPUS)
  ? readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown)
  : [];

function matches(expression: string, event: unknown): boolean {
  const r = compileRule(expression, { fields: linuxFieldInfo });
  if (!r.ok) throw new Error(r.errors[0].message);
  return r.value.match(backendFieldSource(event));
}

describe.skipIf(corpus.length === 0)('backend FieldSource on the corpus', () => {
  const first = corpus[0];

  it('reads direct fields, renamed ones and iterators', () => {
    const src = backendFieldSource(first);
    expect(src.get('exec.file.path')).toEqual(['/bin/ls']);
    expect(src.get('process.file.name')).toEqual(['ls']);
    expect(src.get('process.comm')).toEqual(['ls']);
    expect(src.get('process.pid')).toEqual([12]);
    expect(src.get('process.parent.comm')).toEqual(['bash']);
    expect(src.get('process.ancestors.file.name')).toEqual(['bash', 'systemd']);
    expect(src.get('process.ancestors.pid')).toEqual([11, 1]);
    expect(src.get('process.ancestors.length')).toEqual([2n]);
    expect(src.get('process.container.id')).toEqual(['123']);
    expect(src.get('process.credentials.uid')).toBeUndefined();
    expect(src.get('process.argv')).toEqual([]);
  });

  it('derives times, lengths, and reads the event date as now', () => {
    const src = backendFieldSource(first);
    expect(src.get('exec.file.modification_time')).toEqual([0n]);
    expect(src.get('process.ancestors.file.name.length')).toEqual([4n, 7n]);
    expect(src.now?.()).toBe(parseTimeNs('0001-01-01T00:00:00Z'));
  });

  it('gives nothing for unavailable fields and fields of other event types', () => {
    const src = backendFieldSource(first);
    expect(src.get('unlink.file.path')).toBeUndefined();
    expect(src.get('open.file.path')).toBeUndefined();
    expect(src.get('exec.retval')).toBeUndefined();
    expect(src.get('setrlimit.target.pid')).toBeUndefined();
  });

  it('evaluates rules over every corpus event', () => {
    for (const e of corpus) {
      expect(matches('exec.file.path == process.file.path', e)).toBe(true);
      expect(matches('process.ancestors.file.name == "systemd" || process.ancestors.length == 0', e)).toBe(true);
    }
    expect(matches('exec.file.name == "ls" && process.parent.file.path =~ "/bin/*"', first)).toBe(true);
    expect(matches('process.ancestors.file.name in ["bash"] && process.ancestors.length > 1', first)).toBe(true);
    expect(matches('exec.file.path == "/usr/bin/ls"', first)).toBe(false);
  });
});

describe('backend FieldSource derivations', () => {
  const open = {
    date: '2024-05-01T10:00:00.123456789Z',
    evt: { name: 'open', outcome: 'Success' },
    file: { path: '/etc/shadow', name: 'shadow', mode: 0o100640, flags: ['O_RDWR', 'O_CREAT'], inode: new ExactNumber('18446744073709551615') },
    process: {
      pid: 42,
      args: ['-sV', '-p', '22', '--out=x', 'host'],
      envs: ['PATH', 'LD_PRELOAD'],
      credentials: { uid: 0, cap_effective: ['CAP_SYS_ADMIN', 'CAP_CHOWN'] },
      exec_time: '2024-05-01T09:59:59Z',
    },
  };
  const dns = { evt: { name: 'dns' }, dns: { question: { name: 'Example.COM', type: 'A', class: 'CLASS_INET' } } };

  it('turns names back into the agent integers', () => {
    const src = backendFieldSource(open);
    expect(src.get('open.flags')).toEqual([0o102n]);
    expect(src.get('open.file.rights')).toEqual([0o640n]);
    expect(src.get('process.cap_effective')).toEqual([(1n << 21n) | 1n]);
    expect(backendFieldSource(dns).get('dns.question.type')).toEqual([1n]);
    expect(backendFieldSource(dns).get('dns.question.class')).toEqual([1n]);
    expect(matches('open.flags & O_CREAT > 0 && open.flags & (O_RDWR | O_WRONLY) > 0', open)).toBe(true);
    expect(matches('process.cap_effective & CAP_SYS_ADMIN > 0', open)).toBe(true);
    expect(matches('dns.question.type == 1 && dns.question.name == "example.com"', dns)).toBe(true);
    expect(matches('dns.question.type == 1', open)).toBe(false);
  });

  it('reads no rights from a mode that is not an integer (event data is not trusted), and never throws', () => {
    for (const mode of [1.5, -0.5]) {
      expect(backendFieldSource({ ...open, file: { ...open.file, mode } }).get('open.file.rights'), String(mode)).toEqual([]);
    }
    expect(backendFieldSource({ ...open, file: { ...open.file, mode: 1e300 } }).get('open.file.rights')).toEqual([BigInt(1e300) & 0o7777n]);
    for (const mode of ['rw', null, [], {}, true]) {
      expect(() => backendFieldSource({ ...open, file: { ...open.file, mode } }).get('open.file.rights'), JSON.stringify(mode)).not.toThrow();
    }
  });

  it('keeps uint64 numbers exact', () => {
    expect(backendFieldSource(open).get('open.file.inode')).toEqual([18446744073709551615n]);
    const evt = { name: 'open' };
    expect(backendFieldSource({ evt, file: { inode: new ExactNumber('1.5e3') } }).get('open.file.inode')).toEqual([1500]);
    expect(backendFieldSource({ evt, file: { inode: 7 } }).get('open.file.inode')).toEqual([7]);
  });

  it('derives args, envs and times', () => {
    const src = backendFieldSource(open);
    expect(src.get('process.args')).toEqual(['-sV -p 22 --out=x host']);
    expect(src.get('process.argv')).toEqual(['-sV', '-p', '22', '--out=x', 'host']);
    expect(src.get('process.envs')).toEqual(['PATH', 'LD_PRELOAD']);
    expect(src.get('process.envp')).toBeUndefined();
    expect(src.get('process.created_at')).toEqual([parseTimeNs('2024-05-01T09:59:59Z')]);
    expect(src.now?.()).toBe(1714557600123456789n);
    expect(matches('process.created_at < 5s', open)).toBe(true);
    expect(matches('process.created_at < 1s', open)).toBe(false);
    expect(matches('process.args_flags in ["s"] && process.args_flags in ["V"]', open)).toBe(true);
    expect(matches('process.args_options in ["p=22"] && process.envs in ["LD_PRELOAD"]', open)).toBe(true);
  });

  it('parses RFC 3339 times with offsets, fractions and year 1', () => {
    expect(parseTimeNs('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(parseTimeNs('1970-01-01T00:00:00.5Z')).toBe(500_000_000n);
    expect(parseTimeNs('0001-01-01T00:00:00Z')).toBe(-62135596800_000_000_000n);
    expect(parseTimeNs('not a time')).toBeUndefined();
  });

  it('parses args as the agent does', () => {
    expect(argsFlags(['-sV', '--verbose', '-', '--', 'x', '--a=b'])).toEqual(['s', 'V', 'sV', 'verbose']);
    expect(argsOptions(['-p', '0-1024', '--p=0-1024', '-x', '-y'])).toEqual(['p=0-1024', 'p=0-1024']);
  });

  it('walks paths through arrays, keeping one value per element', () => {
    expect(readPath({ a: [{ b: 1 }, { c: 2 }, { b: null }] }, ['a', '[]', 'b'])).toEqual([1, undefined, undefined]);
    expect(readPath({ a: 'x' }, ['a', 'b'])).toEqual([]);
    expect(readPath({}, ['a', '[]', 'b'])).toEqual([]);
  });

  it('gives omitted values (omitempty) their zero value, per iterator element', () => {
    const e = { evt: { name: 'exec' }, process: { pid: 3, ancestors: [{ pid: 2, is_thread: true }, { pid: 1 }] } };
    const src = backendFieldSource(e);
    expect(src.get('process.ancestors.is_thread')).toEqual([true, false]);
    expect(src.get('process.ancestors.is_exec')).toEqual([false, true]);
    expect(src.get('process.ancestors.file.name')).toEqual(['', '']);
    expect(src.get('process.ancestors.argv')).toEqual([]);
    expect(src.get('process.is_exec')).toEqual([true]);
    expect(src.get('process.parent.pid')).toEqual([0n]); // a scalar absent reads as its zero value
    expect(matches('process.ancestors.is_thread == false', e)).toBe(true);
  });
});

const POLICY = `${SHARED}policies/default.policy`;

describe.skipIf(corpus.length === 0 || !existsSync(POLICY))('the default policy over the corpus', () => {
  it('runs every compiling Linux rule on every event without throwing', async () => {
    const { parse } = await import('yaml');
    const policy = parse(readFileSync(POLICY, 'utf8')) as { macros: { id: string; expression?: string }[]; rules: { id: string; expression: string; filters?: string[] }[] };
    const macros = new Map(policy.macros.filter((m) => m.expression !== undefined).map((m) => [m.id, m.expression as string]));
    const linux = policy.rules.filter((r) => !(r.filters ?? []).some((f) => f.includes('windows')));
    let compiled = 0;
    const matched = new Set<string>();
    for (const rule of linux) {
      const r = compileRule(rule.expression, { fields: linuxFieldInfo, macros, variables: () => ({ type: 'string' }) });
      if (!r.ok) continue;
      compiled++;
      const types = ruleEventTypes(r.value.fields);
      for (const e of corpus) {
        const type = backendEventType(e);
        if (types !== undefined && (type === undefined || !types.includes(type))) continue;
        if (r.value.match(backendFieldSource(e))) matched.add(rule.id);
      }
    }
    expect(compiled).toBeGreaterThan(200);
    console.log(`default.policy over the corpus: ${compiled} rules run, matched: ${[...matched].join(', ') || 'none'}`);
  });
});

describe('exact numbers are the lossless parser\'s, not data that looks like one', () => {
  it('an object of the event with a `raw` key is not read as a number', () => {
    const evt = { name: 'open' };
    expect(backendFieldSource({ evt, file: { inode: { raw: '5' } } }).get('open.file.inode')).not.toEqual([5n]);
    expect(backendFieldSource({ evt, file: { inode: new JsonNumber('5') } }).get('open.file.inode')).toEqual([5n]);
  });
});
