/**
 * csm-filter --secl through its main, in-process: the agent's SECL semantics as a table
 * of cases (expression, events, which are selected), each citing the agent's source
 * (../shared/reference/datadog-agent/pkg/security/secl/compiler/), then the errors
 * (caret under the expression, "did you mean", unavailable fields, exit 2) and the notes.
 */
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { lines } from '../helpers/run.js';

type Ev = Record<string, unknown>;

const DATE = '2024-08-01T06:00:10Z';

/** An exec event as the backend writes it: `file` is the executed file, `process` the new process. */
function exec(name: string, o: { args?: string[]; ancestors?: string[]; path?: string; uid?: number; execTime?: string; variables?: Ev } = {}): Ev {
  const path = o.path ?? `/usr/bin/${name}`;
  return {
    evt: { name: 'exec', category: 'Process Activity' },
    date: DATE,
    file: { path, name },
    process: {
      pid: 42,
      uid: o.uid ?? 0,
      executable: { path, name },
      args: o.args ?? [],
      ...(o.execTime !== undefined ? { exec_time: o.execTime } : {}),
      ancestors: (o.ancestors ?? []).map((a) => ({ pid: 1, executable: { name: a, path: `/usr/sbin/${a}` } })),
      ...(o.variables !== undefined ? { variables: o.variables } : {}),
    },
  };
}

/** A file event (`open`, `chmod`...): `file` is the file, `process` the process that opened it. */
function fileEvent(kind: string, path: string, file: Ev = {}, processName = 'cat'): Ev {
  return {
    evt: { name: kind, category: 'File Activity' },
    date: DATE,
    file: { path, name: path.slice(path.lastIndexOf('/') + 1), ...file },
    process: { pid: 7, uid: 0, executable: { path: `/usr/bin/${processName}`, name: processName } },
  };
}

function dns(name: string, ip = '10.1.2.3'): Ev {
  return {
    evt: { name: 'dns', category: 'Network Activity' },
    date: DATE,
    dns: { question: { name, type: 'A', class: 'IN' } },
    network: { destination: { ip, port: 53 } },
    process: { pid: 9, executable: { path: '/usr/bin/curl', name: 'curl' } },
  };
}

async function secl(exprs: string[], events: Ev[], extra: string[] = []) {
  const input = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  return runMain('csm-filter', [...exprs.flatMap((e) => ['--secl', e]), ...extra], { input });
}

/** The indexes of the selected events. */
async function selected(expr: string, events: Ev[]): Promise<number[]> {
  const r = await secl([expr], events);
  expect(r.code, r.stderr).toBe(0);
  const texts = events.map((e) => JSON.stringify(e));
  return lines(r.out).map((l) => texts.indexOf(l));
}

interface Case {
  semantics: string;
  expr: string;
  events: Ev[];
  selected: number[];
}

const ancestors = [exec('id', { ancestors: ['bash', 'nginx'] }), exec('id', { ancestors: ['bash', 'sh'] }), exec('id')];

/** The agent's documented behaviour, each where it differs from what one would guess. */
const CASES: Case[] = [
  {
    semantics: 'ast/secl.go: && and || share one precedence and nest to the right: `a && b || c` is `a && (b || c)`',
    expr: 'process.file.name == "ls" && process.uid == 1 || process.uid == 0',
    events: [exec('id', { uid: 0 }), exec('ls', { uid: 0 }), exec('ls', { uid: 5 })],
    selected: [1],
  },
  {
    semantics: 'the same with explicit parentheses `(a && b) || c`, for comparison',
    expr: '(process.file.name == "ls" && process.uid == 1) || process.uid == 0',
    events: [exec('id', { uid: 0 }), exec('ls', { uid: 0 }), exec('ls', { uid: 5 })],
    selected: [0, 1],
  },
  {
    semantics: 'eval.go: `==` on an iterator field (process.ancestors.*) holds if ANY element is equal',
    expr: 'process.ancestors.file.name == "nginx"',
    events: ancestors,
    selected: [0],
  },
  {
    semantics: 'eval.go: `!=` on an iterator field means that NO element is equal (not "some element differs")',
    expr: 'process.ancestors.file.name != "nginx"',
    events: ancestors,
    selected: [1, 2],
  },
  {
    semantics: 'eval.go: `not in` on an iterator field: no element is in the list',
    expr: 'process.ancestors.file.name not in ["sh", "zsh"]',
    events: ancestors,
    selected: [0, 2],
  },
  {
    semantics: 'glob.go: on a path field `*` stops at `/`',
    expr: 'open.file.path == ~"/etc/*"',
    events: [fileEvent('open', '/etc/passwd'), fileEvent('open', '/etc/ssh/sshd_config')],
    selected: [0],
  },
  {
    semantics: 'glob.go: on a path field `**` crosses `/`',
    expr: 'open.file.path == ~"/etc/**"',
    events: [fileEvent('open', '/etc/passwd'), fileEvent('open', '/etc/ssh/sshd_config'), fileEvent('open', '/tmp/etc/x')],
    selected: [0, 1],
  },
  {
    semantics: 'glob.go: a leading `*/` is normalised: the path\'s leading `/` is dropped, `*` is its first directory',
    expr: 'open.file.path == ~"*/passwd"',
    events: [fileEvent('open', '/etc/passwd'), fileEvent('open', '/usr/etc/passwd')],
    selected: [0],
  },
  {
    semantics: 'pattern.go: on a field that is not a path, `*` of a simple pattern crosses `/`',
    expr: 'exec.args == ~"*/tmp/*"',
    events: [exec('sh', { args: ['-c', '/tmp/x/y.sh'] }), exec('sh', { args: ['-c', 'ls'] })],
    selected: [0],
  },
  {
    semantics: 'strings.go StringValuesEvaluator: patterns inside `in [...]` match as patterns, plain strings exactly',
    expr: 'exec.file.name in ["curl", ~"wget*"]',
    events: [exec('curl'), exec('wget2'), exec('curl2'), exec('xwget')],
    selected: [0, 1],
  },
  {
    semantics: 'oo_glob_cmp.go: patterns inside `in [...]` on a path field are globs',
    expr: 'exec.file.path in [~"/tmp/*", ~"/dev/shm/**"]',
    events: [exec('a', { path: '/tmp/a' }), exec('b', { path: '/tmp/x/b' }), exec('c', { path: '/dev/shm/x/c' })],
    selected: [0, 2],
  },
  {
    semantics: 'strings.go RegexpStringMatcher: a regexp is RE2, searched (unanchored), not matched whole',
    expr: 'exec.args =~ r"-e\\s+/bin/(ba)?sh"',
    events: [exec('nc', { args: ['10.0.0.1', '-e', '/bin/sh'] }), exec('nc', { args: ['-l', '4444'] })],
    selected: [0],
  },
  {
    semantics: 'a regexp anchors only where it says so (`^`)',
    expr: 'exec.args =~ r"^-e"',
    events: [exec('nc', { args: ['10.0.0.1', '-e', '/bin/sh'] }), exec('nc', { args: ['-e', '/bin/sh'] })],
    selected: [1],
  },
  {
    semantics: 'oo_case_insensitive.go: dns.question.name compares without case, for strings and patterns',
    expr: 'dns.question.name in ["EXAMPLE.com", ~"*.EVIL.org"]',
    events: [dns('example.COM'), dns('a.evil.ORG'), dns('example.net')],
    selected: [0, 1],
  },
  {
    semantics: 'other strings keep their case',
    expr: 'process.file.name == "CURL"',
    events: [dns('example.com')],
    selected: [],
  },
  {
    semantics: 'eval.go durations: `field < 5s` compares the event\'s own date minus the field with 5s, not the wall clock',
    expr: 'process.created_at < 5s',
    events: [exec('a', { execTime: '2024-08-01T06:00:08Z' }), exec('b', { execTime: '2024-08-01T06:00:01Z' })],
    selected: [0],
  },
  {
    semantics: 'durations: `field > 5s` is the other side',
    expr: 'process.created_at > 5s',
    events: [exec('a', { execTime: '2024-08-01T06:00:08Z' }), exec('b', { execTime: '2024-08-01T06:00:01Z' })],
    selected: [1],
  },
  {
    semantics: 'event types: open.file.path applies to open events only, not to an exec event whose file.path is the same',
    expr: 'open.file.path == "/usr/bin/ls"',
    events: [exec('ls'), fileEvent('open', '/usr/bin/ls'), fileEvent('unlink', '/usr/bin/ls')],
    selected: [1],
  },
  {
    semantics: 'event types: fields of no event type (process.*) apply to every event',
    expr: 'process.file.name == "cat"',
    events: [exec('cat'), fileEvent('open', '/etc/hosts'), fileEvent('chmod', '/etc/hosts')],
    selected: [0, 1, 2],
  },
  {
    semantics: 'event types: network.* belongs to dns, imds and packet events; with dns.* the rule is a dns rule',
    expr: 'network.destination.ip in 10.0.0.0/8 && dns.question.name != ""',
    events: [dns('a.com', '10.9.9.9'), dns('b.com', '192.168.1.1')],
    selected: [0],
  },
  {
    semantics: 'consts_linux.go: O_CREAT and the open flags, from the flag names the backend writes',
    expr: 'open.flags & O_CREAT > 0',
    events: [fileEvent('open', '/tmp/a', { flags: ['O_CREAT', 'O_WRONLY'] }), fileEvent('open', '/tmp/b', { flags: ['O_RDONLY'] })],
    selected: [0],
  },
  {
    semantics: 'constants: `in` a list of flags compares the bitmask',
    expr: 'open.flags & (O_WRONLY | O_RDWR) > 0',
    events: [fileEvent('open', '/tmp/a', { flags: ['O_RDWR'] }), fileEvent('open', '/tmp/b', { flags: ['O_RDONLY'] })],
    selected: [0],
  },
  {
    semantics: 'consts_common.go: S_ISUID on a file mode',
    expr: 'chmod.file.destination.mode & S_ISUID > 0',
    events: [fileEvent('chmod', '/tmp/a', { destination: { mode: 0o4755 } }), fileEvent('chmod', '/tmp/b', { destination: { mode: 0o755 } })],
    selected: [0],
  },
  {
    semantics: 'integers are read as Go ParseInt(s, 0, 64): 04755 is octal',
    expr: 'chmod.file.destination.rights == 04755',
    events: [fileEvent('chmod', '/tmp/a', { destination: { mode: 0o104755 } }), fileEvent('chmod', '/tmp/b', { destination: { mode: 0o755 } })],
    selected: [0],
  },
  {
    semantics: '.length: the length in bytes (UTF-8) of a string field',
    expr: 'exec.file.name.length > 4',
    events: [exec('curl'), exec('wget2'), exec('été')],
    selected: [1, 2],
  },
  {
    semantics: 'derived: exec.args is the arguments joined by spaces; exec.args_flags parses -x and --x',
    expr: 'exec.args == "-la /tmp" && exec.args_flags in ["l", "a"]',
    events: [exec('ls', { args: ['-la', '/tmp'] }), exec('ls', { args: ['/tmp'] })],
    selected: [0],
  },
  {
    semantics: 'an absent field reads as its zero value, as in the agent (an event without ancestors has no element: != holds)',
    expr: 'process.file.name == "id" && process.ancestors.file.name != "bash"',
    events: ancestors,
    selected: [2],
  },
];

describe('csm-filter --secl: the agent\'s semantics', () => {
  it.each(CASES)('$semantics', async (c) => {
    expect(await selected(c.expr, c.events)).toEqual(c.selected);
  });
});

describe('csm-filter --secl: integers', () => {
  it('are read digit for digit from the line: an inode of 2^53 + 1 is not 2^53 (which JSON.parse would make of both)', async () => {
    const line = (inode: string) => `{"evt":{"name":"open"},"file":{"path":"/a","inode":${inode}},"process":{"pid":1}}`;
    const input = [line('9007199254740992'), line('9007199254740993')].join('\n') + '\n';
    const r = await runMain('csm-filter', ['--secl', 'open.file.inode == 9007199254740993'], { input });
    expect([r.code, r.out]).toEqual([0, line('9007199254740993') + '\n']);
  });
});

describe('csm-filter --secl: with the other selections', () => {
  const events = [exec('ls', { uid: 0 }), exec('ls', { uid: 1000 }), fileEvent('open', '/etc/shadow', {}, 'ls')];

  it('several --secl must all hold, and are ANDed with --kind and --where', async () => {
    expect(lines((await secl(['process.file.name == "ls"', 'process.uid == 0'], events)).out)).toHaveLength(2);
    expect(lines((await secl(['process.file.name == "ls"'], events, ['-k', 'open'])).out)).toHaveLength(1);
    expect(lines((await secl(['process.file.name == "ls"'], events, ['-w', 'process.uid == 1000'])).out)).toHaveLength(1);
  });

  it('--invert selects what does not match them all', async () => {
    const r = await secl(['process.uid == 0'], events, ['-v']);
    expect(lines(r.out)).toEqual([JSON.stringify(events[1])]);
  });

  it('--count counts what the expression selects', async () => {
    const r = await secl(['exec.file.name == "ls"'], events, ['-c']);
    expect([r.code, r.out]).toEqual([0, '2\n']);
  });
});

describe('csm-filter --secl: variables and assumed fields', () => {
  const withKey = exec('sh', { variables: { correlation_key: 'cgroup_1', pids: [3, 4] } });
  const without = exec('sh');

  it('${process.x} is read from the event\'s process.variables.x', async () => {
    expect(await selected('${process.correlation_key} == "cgroup_1"', [withKey, without])).toEqual([0]);
  });

  it('an event without the variable is evaluated with it unset (its zero value), and the run says so once', async () => {
    const r = await secl(['${process.correlation_key} in ["", ~"cgroup_*"]', '${process.correlation_key} != "x"'], [withKey, without]);
    expect(lines(r.out)).toHaveLength(2);
    const notes = lines(r.stderr);
    expect(notes).toEqual([
      "csm-filter: --secl: ${process.correlation_key} is read from each event's process.variables.correlation_key; where an event has none, the rule is evaluated with it unset, as the agent would",
    ]);
  });

  it('a list variable takes its type from the left side of `in`', async () => {
    expect(await selected('process.pid in ${process.pids} || 4 in ${process.pids}', [withKey, without])).toEqual([0]);
  });

  it('${process.pid} is the agent\'s built-in variable: the event\'s process.pid', async () => {
    expect(await selected('exec.file.name == "sh" && process.pid == ${process.pid} && "/proc/${process.pid}/maps" == "/proc/42/maps"', [withKey])).toEqual([0]);
  });

  it('a variable of no scope the serializers write is evaluated unset, and said so', async () => {
    const r = await secl(['"${builtins.uuid4}" == ""'], [without]);
    expect(lines(r.out)).toHaveLength(1);
    expect(r.stderr).toMatch(/\$\{builtins.uuid4\} is not written to backend events/);
  });

  it('event.origin and event.os are read from the agent context (agent.origin, agent.os)', async () => {
    const ebpfless = { ...without, agent: { rule_id: 'r', origin: 'ebpfless', os: 'linux' } };
    const ebpf = { ...without, agent: { rule_id: 'r', origin: 'ebpf', os: 'linux' } };
    expect(await selected('event.origin == "ebpfless"', [ebpf, ebpfless])).toEqual([1]);
    expect(await selected('event.origin != "ebpf" || process.file.name == "nothing"', [ebpf, ebpfless])).toEqual([1]);
  });

  it('an event without them is taken as "ebpf" on "linux" (what the Linux agent writes), and the run says so', async () => {
    const r = await secl(['event.origin == "ebpf" && event.os == "linux"'], [without]);
    expect(lines(r.out)).toHaveLength(1);
    expect(lines(r.stderr)).toEqual([
      'csm-filter: --secl: event.origin is read from agent.origin; where an event has none, taken as "ebpf": a Linux agent\'s events come from its eBPF probes unless it runs eBPF-less, which it writes as agent.origin "ebpfless"',
      'csm-filter: --secl: event.os is read from agent.os; where an event has none, taken as "linux": the events of this (Linux) schema are those of the Linux agent',
    ]);
  });
});

describe('csm-filter --secl: errors (exit 2, a caret under the expression)', () => {
  const ev = [exec('ls')];
  const error = async (expr: string): Promise<string> => {
    const r = await secl([expr], ev);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    return r.stderr;
  };

  it('a syntax error points at where the expression stops making sense', async () => {
    expect(await error('exec.file.name == "ls" &&')).toBe(
      'csm-filter: --secl: expected a value (field, constant, string, number, pattern, regexp, IP, duration or "("), found end of expression at column 26\n' +
        '  exec.file.name == "ls" &&\n' +
        '                           ^\n',
    );
  });

  it('an unknown field says "did you mean" and underlines the field', async () => {
    expect(await error('exec.file.nme == "ls"')).toBe(
      "csm-filter: --secl: unknown field, constant or macro 'exec.file.nme' — did you mean 'exec.file.name'? at column 1\n" +
        '  exec.file.nme == "ls"\n' +
        '  ^^^^^^^^^^^^^\n',
    );
  });

  it('a field of SECL that the backend event does not carry: named, with why', async () => {
    expect(await error('process.file.name == "x" && packet.filter == "tcp"')).toBe(
      "csm-filter: --secl: 'packet.filter' cannot be evaluated on backend events: not written to the backend event at column 29\n" +
        '  process.file.name == "x" && packet.filter == "tcp"\n' +
        '                              ^^^^^^^^^^^^^\n',
    );
  });

  it('fields of two event types cannot make one rule', async () => {
    expect(await error('open.file.path == "/a" || exec.file.path == "/b"')).toMatch(
      /^csm-filter: --secl: 'exec.file.path' \(exec events\) and 'open.file.path' \(open events\) belong to different event types; a rule applies to one event type \(as in the agent\) at column 27\n/,
    );
  });

  it('a regexp RE2 rejects, an operand of the wrong type, a bad CIDR', async () => {
    expect(await error('exec.file.name =~ r"(a)\\1"')).toMatch(/^csm-filter: --secl: .*at column 19\n/);
    expect(await error('process.pid == "1"')).toMatch(/^csm-filter: --secl: .*at column \d+\n/);
    expect(await error('network.destination.ip in 10.0.0.0/99')).toMatch(/^csm-filter: --secl: .*at column \d+\n/);
  });

  it('the caret line is red when stderr is coloured (--color always)', async () => {
    const r = await secl(['exec.file.nme == "ls"'], ev, ['--color', 'always']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\u001b[');
  });

  it('an expression that is not a boolean', async () => {
    expect(await error('process.pid')).toMatch(/a rule must be a boolean expression/);
  });
});
