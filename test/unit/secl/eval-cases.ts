/**
 * Evaluator cases as data: an expression, an event (SECL field -> value(s)), an
 * optional `now` (ns) and variables, and the verdict or the error code.
 * `source` names the agent file the expectation comes from.
 */
import type { SeclErrorCode } from '../../../src/secl/errors.js';
import type { EventData } from './helpers.js';

export interface EvalCase {
  expr: string;
  event: EventData;
  want: boolean | { error: SeclErrorCode };
  now?: bigint;
  variables?: EventData;
  source?: string;
}

const S = 1_000_000_000n;
const NOW = 1_700_000_000n * S;

export const CASES: EvalCase[] = [
  // strings
  { expr: 'process.file.name == "bash"', event: { 'process.file.name': 'bash' }, want: true },
  { expr: 'process.file.name == "bash"', event: { 'process.file.name': 'sh' }, want: false },
  { expr: 'process.file.name != "bash"', event: { 'process.file.name': 'sh' }, want: true },
  { expr: 'process.file.name == ""', event: {}, want: true, source: 'a scalar field without value is its zero value' },
  { expr: 'process.file.name != ""', event: {}, want: false },
  { expr: 'process.file.name == ~"ba*"', event: { 'process.file.name': 'bash' }, want: true },
  { expr: 'process.file.name =~ "ba*"', event: { 'process.file.name': 'bash' }, want: true, source: 'eval.go: =~ forces a pattern' },
  { expr: 'process.file.name !~ "ba*"', event: { 'process.file.name': 'bash' }, want: false },
  { expr: 'process.file.name == "ba*"', event: { 'process.file.name': 'bash' }, want: false },
  { expr: 'process.file.name =~ r"^b.+h$"', event: { 'process.file.name': 'bash' }, want: true },
  { expr: 'process.file.name == r"as"', event: { 'process.file.name': 'bash' }, want: true, source: 'strings.go: MatchString searches' },
  { expr: 'process.file.name =~ r"(?i)BASH"', event: { 'process.file.name': 'bash' }, want: true },
  { expr: 'process.file.name =~ r"(a"', event: { 'process.file.name': 'bash' }, want: { error: 'regex' } },
  { expr: 'process.file.name =~ ~"a**"', event: {}, want: { error: 'pattern' }, source: 'strings.go: ** not allowed in patterns' },
  { expr: 'process.file.name =~ process.comm', event: {}, want: { error: 'operand' }, source: 'eval.go: ErrNonStaticPattern' },
  { expr: 'process.file.name == process.comm', event: { 'process.file.name': 'a', 'process.comm': 'a' }, want: true },
  { expr: 'process.file.name < "b"', event: {}, want: { error: 'operand' } },
  { expr: 'process.file.name == 1', event: {}, want: { error: 'type' } },
  { expr: 'process.file.name == NAME_A', event: { 'process.file.name': 'a' }, want: true },
  { expr: 'process.file.name in ["sh", "bash"]', event: { 'process.file.name': 'bash' }, want: true },
  { expr: 'process.file.name not in ["sh", "bash"]', event: { 'process.file.name': 'bash' }, want: false },
  { expr: 'process.file.name in ["sh", ~"ba*", r"^z"]', event: { 'process.file.name': 'zsh' }, want: true },
  { expr: 'process.file.name in shells', event: { 'process.file.name': 'ohmyzsh' }, want: true },
  { expr: 'process.file.name in shells', event: { 'process.file.name': 'fish' }, want: false },
  // paths: globs
  { expr: 'process.file.path == ~"/usr/bin/*"', event: { 'process.file.path': '/usr/bin/bash' }, want: true },
  { expr: 'process.file.path == ~"/usr/*"', event: { 'process.file.path': '/usr/bin/bash' }, want: false, source: 'glob.go: * stops at /' },
  { expr: 'process.file.path == ~"/usr/**"', event: { 'process.file.path': '/usr/bin/bash' }, want: true, source: 'glob.go: ** crosses /' },
  { expr: 'process.file.path == ~"/usr/**/bash"', event: { 'process.file.path': '/usr/local/bin/bash' }, want: true },
  { expr: 'process.file.path == ~"/**/a/**"', event: {}, want: { error: 'pattern' }, source: 'glob.go: ** only once' },
  { expr: 'process.file.name == ~"/usr/*"', event: { 'process.file.name': '/usr/bin/bash' }, want: true, source: 'pattern.go: * crosses / in a simple pattern' },
  { expr: 'process.file.path in [~"/etc/*", "/bin/sh"]', event: { 'process.file.path': '/etc/ssh/sshd_config' }, want: false },
  { expr: 'process.file.path in [~"/etc/**", "/bin/sh"]', event: { 'process.file.path': '/etc/ssh/sshd_config' }, want: true },
  { expr: 'process.file.path == ~"*"', event: { 'process.file.path': '' }, want: false, source: 'glob.go: an empty path never matches' },
  // arrays and iterators: any / none
  { expr: 'process.ancestors.file.name == "sh"', event: { 'process.ancestors.file.name': ['bash', 'sh'] }, want: true },
  { expr: 'process.ancestors.file.name != "sh"', event: { 'process.ancestors.file.name': ['bash', 'sh'] }, want: false },
  { expr: 'process.ancestors.file.name != "zsh"', event: { 'process.ancestors.file.name': ['bash', 'sh'] }, want: true },
  { expr: 'process.ancestors.file.name != "zsh"', event: {}, want: true },
  { expr: 'process.ancestors.file.name == "zsh"', event: {}, want: false },
  { expr: 'process.ancestors.file.name =~ "ba*"', event: { 'process.ancestors.file.name': ['sh', 'bash'] }, want: true },
  { expr: 'process.ancestors.file.name in ["x", "sh"]', event: { 'process.ancestors.file.name': ['bash', 'sh'] }, want: true },
  { expr: 'process.ancestors.file.name not in ["x", "sh"]', event: { 'process.ancestors.file.name': ['bash', 'sh'] }, want: false },
  { expr: 'process.ancestors.file.path == ~"/usr/*"', event: { 'process.ancestors.file.path': ['/usr/bin/x', '/usr/y'] }, want: true },
  { expr: 'process.ancestors.file.path in [~"/usr/*"]', event: { 'process.ancestors.file.path': ['/usr/bin/x'] }, want: false },
  { expr: '"sh" == process.ancestors.file.name', event: {}, want: { error: 'type' }, source: 'eval.go: a string compares only with a string' },
  { expr: 'process.ancestors.pid == 1', event: { 'process.ancestors.pid': [12, 1] }, want: true },
  { expr: 'process.ancestors.pid != 1', event: { 'process.ancestors.pid': [12, 1] }, want: false },
  { expr: 'process.ancestors.pid < 5', event: { 'process.ancestors.pid': [12, 1] }, want: true },
  { expr: 'process.ancestors.pid > 20', event: { 'process.ancestors.pid': [12, 1] }, want: false },
  { expr: 'process.ancestors.pid in [3, 12]', event: { 'process.ancestors.pid': [12, 1] }, want: true },
  { expr: 'process.pid in process.ancestors.pid', event: { 'process.pid': 1, 'process.ancestors.pid': [12, 1] }, want: true, source: 'eval.go: Array may be an identifier (an array field)' },
  { expr: 'process.pid == process.ancestors.pid', event: { 'process.pid': 1, 'process.ancestors.pid': [12, 1] }, want: true },
  { expr: 'process.ancestors.file.in_upper_layer == true', event: { 'process.ancestors.file.in_upper_layer': [false, true] }, want: true },
  { expr: 'process.ancestors.file.in_upper_layer', event: {}, want: { error: 'type' } },
  { expr: 'process.argv in ["-c"]', event: { 'process.argv': ['-x', '-c'] }, want: true },
  // integers
  { expr: 'process.pid == 1', event: { 'process.pid': 1 }, want: true },
  { expr: 'process.pid == 0', event: {}, want: true },
  { expr: 'process.pid != 1', event: { 'process.pid': 2 }, want: true },
  { expr: 'process.pid >= 2 && process.pid <= 3', event: { 'process.pid': 3 }, want: true },
  { expr: 'process.pid in [1, 2, 3]', event: { 'process.pid': 2 }, want: true },
  { expr: 'process.pid in ports', event: { 'process.pid': 22 }, want: true },
  { expr: 'process.pid == 0755', event: { 'process.pid': 493 }, want: true, source: 'participle ParseInt(s, 0, 64): leading 0 is octal' },
  { expr: 'process.pid == -1', event: { 'process.pid': -1 }, want: true },
  { expr: 'process.pid == - 1', event: { 'process.pid': -1 }, want: true },
  { expr: 'process.pid + 1 == 3', event: { 'process.pid': 2 }, want: true },
  { expr: 'process.pid - process.uid == 1', event: { 'process.pid': 5, 'process.uid': 4 }, want: true },
  { expr: 'process.pid == 9223372036854775807 + 1', event: { 'process.pid': -9223372036854775808n }, want: true, source: 'Go int wraps' },
  { expr: 'process.pid == "1"', event: {}, want: { error: 'type' } },
  { expr: 'process.pid =~ 1', event: {}, want: { error: 'operand' } },
  // bits
  { expr: 'open.flags & O_CREAT > 0', event: { 'open.flags': 0o102 }, want: true },
  { expr: 'open.flags & O_CREAT > 0', event: { 'open.flags': 0o2 }, want: false },
  { expr: 'open.flags & (O_CREAT | O_TRUNC) == O_CREAT | O_TRUNC', event: { 'open.flags': 0o1101 }, want: true },
  { expr: 'process.file.mode & exec_bits != 0', event: { 'process.file.mode': 0o644 }, want: false },
  { expr: 'process.file.mode & exec_bits != 0', event: { 'process.file.mode': 0o755 }, want: true },
  { expr: 'process.file.mode & S_ISUID > 0', event: { 'process.file.mode': 0o4755 }, want: true },
  { expr: 'open.flags ^ 3 == 1', event: { 'open.flags': 2 }, want: true },
  { expr: '^open.flags == -3', event: { 'open.flags': 2 }, want: true },
  { expr: 'open.flags & process.pid > 0', event: {}, want: { error: 'operand' }, source: 'eval_operators.go: full dynamic bitmask operation not supported' },
  { expr: 'process.ancestors.pid & 1 > 0', event: {}, want: { error: 'type' } },
  { expr: 'open.flags in [O_RDWR, O_CREAT ]', event: { 'open.flags': 2 }, want: true },
  // booleans
  { expr: 'process.file.in_upper_layer', event: { 'process.file.in_upper_layer': true }, want: true },
  { expr: '!process.file.in_upper_layer', event: {}, want: true },
  { expr: 'not process.file.in_upper_layer', event: { 'process.file.in_upper_layer': true }, want: false },
  { expr: 'process.file.in_upper_layer == false', event: {}, want: true },
  { expr: 'process.file.in_upper_layer != true', event: { 'process.file.in_upper_layer': true }, want: false },
  { expr: 'process.file.in_upper_layer in [true ]', event: { 'process.file.in_upper_layer': true }, want: true },
  { expr: 'true', event: {}, want: true },
  { expr: 'false || process.pid == 1', event: { 'process.pid': 1 }, want: true },
  { expr: '!process.pid', event: {}, want: { error: 'type' } },
  { expr: 'process.pid && true', event: {}, want: { error: 'type' } },
  { expr: 'process.pid', event: {}, want: { error: 'type' } },
  // case-insensitive fields
  { expr: 'dns.question.name == "EXAMPLE.com"', event: { 'dns.question.name': 'example.COM' }, want: true },
  { expr: 'dns.question.name == ~"*.EXAMPLE.com"', event: { 'dns.question.name': 'www.example.COM' }, want: true },
  { expr: 'dns.question.name in ["a.org", "Example.Com"]', event: { 'dns.question.name': 'example.com' }, want: true },
  { expr: 'dns.question.name =~ r"^EXA"', event: { 'dns.question.name': 'example.com' }, want: true },
  { expr: 'process.file.name == "BASH"', event: { 'process.file.name': 'bash' }, want: false },
  // IPs
  { expr: 'network.destination.ip == 10.0.0.1', event: { 'network.destination.ip': '10.0.0.1' }, want: true },
  { expr: 'network.destination.ip == 10.0.0.0/8', event: { 'network.destination.ip': '10.1.2.3' }, want: true },
  { expr: 'network.destination.ip != 10.0.0.0/8', event: { 'network.destination.ip': '11.1.2.3' }, want: true },
  { expr: 'network.destination.ip in 10.0.0.0/8', event: { 'network.destination.ip': '10.1.2.3' }, want: true },
  { expr: 'network.destination.ip in [192.168.0.0/16, 10.0.0.0/8]', event: { 'network.destination.ip': '10.1.2.3' }, want: true },
  { expr: 'network.destination.ip in private_nets', event: { 'network.destination.ip': '192.168.1.1' }, want: true },
  { expr: 'network.destination.ip not in [192.168.0.0/16, 10.0.0.0/8]', event: { 'network.destination.ip': '8.8.8.8' }, want: true },
  { expr: 'network.destination.ip in [::1, fe80::/10]', event: { 'network.destination.ip': 'fe80::1234' }, want: true },
  { expr: 'network.destination.ip == ::ffff:10.0.0.1', event: { 'network.destination.ip': '10.0.0.1' }, want: true, source: 'net.IPNet.Contains compares IPv4 forms' },
  { expr: 'network.destination.ip == 10.0.0.0/8', event: {}, want: false },
  { expr: 'network.destination.ip == network.source.ip', event: { 'network.destination.ip': '1.2.3.4', 'network.source.ip': '1.2.3.4' }, want: true },
  { expr: 'network.destination.ip == 300.0.0.1', event: {}, want: { error: 'operand' }, source: 'eval.go: invalid IP at compile time' },
  { expr: 'network.destination.ip == 10.0.0.0/33', event: {}, want: { error: 'operand' } },
  { expr: 'network.destination.ip == ::', event: {}, want: { error: 'operand' }, source: 'cidr.go: ParseCIDR refuses the zero IP' },
  { expr: 'network.destination.ip == 010.0.0.1', event: {}, want: { error: 'operand' }, source: 'net.ParseIP refuses leading zeros' },
  { expr: 'network.ips in [10.0.0.0/8]', event: { 'network.ips': ['8.8.8.8', '10.0.0.1'] }, want: true },
  { expr: 'network.ips not in [10.0.0.0/8]', event: { 'network.ips': ['8.8.8.8', '10.0.0.1'] }, want: false },
  { expr: 'network.ips allin [10.0.0.0/8]', event: { 'network.ips': ['10.2.0.1', '10.0.0.1'] }, want: true },
  { expr: 'network.ips allin [10.0.0.0/8]', event: { 'network.ips': ['8.8.8.8', '10.0.0.1'] }, want: false },
  { expr: 'network.ips == 10.0.0.0/8', event: { 'network.ips': ['10.0.0.1'] }, want: false, source: 'operators.go: CIDRArrayMatchesCIDREvaluator, element contains literal' },
  { expr: 'network.ips == 10.0.0.1', event: { 'network.ips': ['10.0.0.0/8'] }, want: true },
  // durations
  { expr: 'exec.file.change_time < 30s', event: { 'exec.file.change_time': NOW - 5n * S }, now: NOW, want: true },
  { expr: 'exec.file.change_time < 30s', event: { 'exec.file.change_time': NOW - 60n * S }, now: NOW, want: false },
  { expr: 'exec.file.change_time > 1m', event: { 'exec.file.change_time': NOW - 120n * S }, now: NOW, want: true },
  { expr: 'exec.file.change_time < 30s', event: { 'exec.file.change_time': NOW - 5n * S }, want: false, source: 'no now: a duration comparison is false' },
  { expr: 'exec.file.change_time != 30s', event: {}, want: { error: 'type' } },
  { expr: 'process.ancestors.created_at < 10s', event: { 'process.ancestors.created_at': [NOW - 100n * S, NOW - 2n * S] }, now: NOW, want: true },
  { expr: 'process.ancestors.created_at == 10s', event: {}, want: { error: 'type' } },
  { expr: 'exec.file.change_time - process.created_at < 5s', event: { 'exec.file.change_time': 100n * S, 'process.created_at': 98n * S }, now: NOW, want: true, source: 'eval.go: after + or -, a plain comparison' },
  // .length
  { expr: 'process.file.name.length == 4', event: { 'process.file.name': 'bash' }, want: true },
  { expr: 'process.file.name.length == 2', event: { 'process.file.name': 'é' }, want: true, source: 'Go len() counts UTF-8 bytes' },
  { expr: 'process.ancestors.file.name.length > 3', event: { 'process.ancestors.file.name': ['sh', 'bash'] }, want: true },
  // macros and constants
  { expr: 'is_root && process.file.name in shells', event: { 'process.uid': 0, 'process.file.name': 'sh' }, want: true },
  { expr: 'loop_a', event: {}, want: { error: 'macro' } },
  { expr: 'broken', event: {}, want: { error: 'macro' } },
  { expr: 'unknown.field == 1', event: {}, want: { error: 'unknown-field' } },
  { expr: 'process.file.nam == "a"', event: {}, want: { error: 'unknown-field' } },
  { expr: 'open.flags in [O_RDWR, NAME_A ]', event: {}, want: { error: 'constant' } },
  { expr: 'process.argv in CWS_MAP_NAMES', event: {}, want: { error: 'type' } },
  // variables
  { expr: 'process.file.name == "${process.correlation_key}"', event: { 'process.file.name': 'k1' }, variables: { 'process.correlation_key': 'k1' }, want: true },
  { expr: 'process.file.name == "x-${count}-${pids}"', event: { 'process.file.name': 'x-3-1,2' }, variables: { count: 3, pids: [1, 2] }, want: true },
  { expr: 'process.file.name in ${cgroup.names}', event: { 'process.file.name': 'b' }, variables: { 'cgroup.names': ['a', 'b'] }, want: true },
  { expr: 'process.file.name not in ${cgroup.names}', event: { 'process.file.name': 'c' }, variables: { 'cgroup.names': ['a', 'b'] }, want: true },
  { expr: '${count} > 2', event: {}, variables: { count: 3 }, want: true },
  { expr: '${cgroup.names.length} == 2', event: {}, variables: { 'cgroup.names': ['a', 'b'] }, want: true },
  { expr: '${nope} == 1', event: {}, want: { error: 'variable' } },
  { expr: 'process.file.name == "${nope}"', event: {}, want: { error: 'variable' } },
  // registers
  { expr: 'process.ancestors[A].file.name == "sh" && process.ancestors[A].pid == 1', event: { 'process.ancestors.file.name': ['sh', 'init'], 'process.ancestors.pid': [10, 1] }, want: true, source: 'accessors ignore the register' },
  { expr: 'process.ancestors[A].file.name == "init" && process.ancestors[A].pid == 1', event: { 'process.ancestors.file.name': ['sh', 'init'], 'process.ancestors.pid': [10, 1] }, want: true },
  { expr: 'process.ancestors[_].pid == 1', event: {}, want: { error: 'operand' } },
];

/**
 * Expectations from the agent's own tests (pkg/security/secl/compiler/eval/eval_test.go:
 * TestSimpleInt, TestPrecedence, TestParenthesis, TestSimpleBitOperations, TestRegexp,
 * TestVariables, TestInArray, TestComplex, TestRegister), on their test event:
 * process.name "/usr/bin/c$t" (TestRegexp) or "aaa" (TestInArray), process.uid 3 or 444,
 * a list of items {key, value} and an array of {key, value, flag}. The agent's `[_]`
 * subscripts are written without it (each condition on its own element), which is what
 * `[_]` meant; the current agent refuses `_` as a register name.
 */
const LIST = { 'process.list.key': [10, 100, 200], 'process.list.value': ['AAA', 'BBB', 'CCC'] };
const ARRAY = { 'process.array.key': [1000, 1002], 'process.array.value': ['EEEE', 'DDDD'], 'process.array.flag': [true, false] };
const REGEXP = { 'process.name': '/usr/bin/c$t' };
const INARRAY = { 'process.name': 'aaa', 'process.uid': 3 };

export const AGENT_TEST_CASES: EvalCase[] = [
  // TestSimpleInt
  { expr: '111 != 555', event: {}, want: true },
  { expr: 'process.uid != 555', event: { 'process.uid': 444 }, want: true },
  { expr: 'process.uid != 444', event: { 'process.uid': 444 }, want: false },
  { expr: '--3 == 3', event: {}, want: true },
  { expr: '3 ^ 3 == 0', event: {}, want: true },
  { expr: '^0 == -1', event: {}, want: true },
  // TestSimpleBool
  { expr: '(444 == 444) and ("test" == "test")', event: {}, want: true },
  { expr: '(444 != 555) && # blah blah\n\t\t# blah blah\n\t\t("test" == "aaaa")', event: {}, want: false },
  // TestPrecedence, TestParenthesis
  { expr: 'false || (true != true)', event: {}, want: false },
  { expr: 'false or true', event: {}, want: true },
  { expr: '1 == 1 & 1', event: {}, want: true },
  { expr: 'not true && false', event: {}, want: false },
  { expr: 'not (true && false)', event: {}, want: true },
  { expr: '(true) == (true)', event: {}, want: true },
  // TestSimpleBitOperations
  { expr: '(3 & 3) == 3', event: {}, want: true },
  { expr: '(3 & 1) == 3', event: {}, want: false },
  { expr: '(2 | 1) == 3', event: {}, want: true },
  { expr: '0 != 3 & 1', event: {}, want: true },
  // TestRegexp (process.name is not a path field there: simple patterns)
  { expr: 'process.name =~ "/usr/bin/*"', event: REGEXP, want: true },
  { expr: 'process.name =~ "/usr/sbin/*"', event: REGEXP, want: false },
  { expr: 'process.name !~ "/usr/sbin/*"', event: REGEXP, want: true },
  { expr: 'process.name =~ "/bin/"', event: REGEXP, want: false },
  { expr: 'process.name =~ "/bin/*"', event: REGEXP, want: false },
  { expr: 'process.name =~ "*/bin/*"', event: REGEXP, want: true },
  { expr: 'process.name =~ "*/bin"', event: REGEXP, want: false },
  { expr: 'process.name =~ "/usr/*/c$t"', event: REGEXP, want: true },
  { expr: 'process.name =~ "/usr/*/bin/*"', event: REGEXP, want: false },
  { expr: 'process.name == ~"/usr/bin/*"', event: REGEXP, want: true },
  { expr: 'process.name =~ ~"/usr/bin/*"', event: REGEXP, want: true },
  { expr: 'process.name =~ "/usr/bin/c$taaa"', event: REGEXP, want: false },
  { expr: 'process.name =~ r".*/bin/.*"', event: REGEXP, want: true },
  { expr: 'process.name =~ r".*/[usr]+/bin/.*"', event: REGEXP, want: true },
  { expr: 'process.name =~ r".*/[abc]+/bin/.*"', event: REGEXP, want: false },
  { expr: 'process.name == r".*/bin/.*"', event: REGEXP, want: true },
  { expr: 'r".*/bin/.*" == process.name', event: REGEXP, want: true },
  // TestVariables
  { expr: 'process.name == "/proc/${pid}/maps/${str}"', event: { 'process.name': '/proc/42/maps/aaa' }, variables: { pid: 42, str: 'aaa' }, want: true },
  { expr: 'process.name == "/proc/${pid}/maps/${str"', event: { 'process.name': '/proc/42/maps/aaa' }, variables: { pid: 42, str: 'aaa' }, want: false },
  { expr: 'process.name == "/proc/${pid/maps/${str"', event: { 'process.name': '/proc/42/maps/aaa' }, variables: { pid: 42, str: 'aaa' }, want: false },
  { expr: 'process.pid == ${pid}', event: { 'process.pid': 42 }, variables: { pid: 42 }, want: true },
  // TestInArray
  { expr: '"a" in [ "a", "b", "c" ]', event: INARRAY, want: true },
  { expr: 'process.name in [ "c", "b", "aaa" ]', event: INARRAY, want: true },
  { expr: '"aaa" not in [ "aaa", "b", "c" ]', event: INARRAY, want: false },
  { expr: '3 in [ 1, 2, 3 ]', event: INARRAY, want: true },
  { expr: 'process.uid in [ 4, 2, 1 ]', event: INARRAY, want: false },
  { expr: '4 not in [ 3, 2, 1 ]', event: INARRAY, want: true },
  { expr: 'process.name in [ ~"*a*" ]', event: INARRAY, want: true },
  { expr: 'process.name in [ ~"*d*", "aa*" ]', event: INARRAY, want: false },
  { expr: 'process.name in [ ~"*d*", ~"aa*" ]', event: INARRAY, want: true },
  { expr: 'process.name in [ r".*d.*", r"aa.*" ]', event: INARRAY, want: true },
  { expr: 'process.name not in [ r".*d.*", r"ab.*" ]', event: INARRAY, want: true },
  // TestComplex
  {
    expr: 'open.filename =~ "/var/lib/httpd/*" && open.flags & (O_CREAT | O_TRUNC | O_EXCL | O_RDWR | O_WRONLY) > 0',
    event: { 'open.filename': '/var/lib/httpd/htpasswd', 'open.flags': 0o100 | 0o1000 | 0o200 | 2 | 1 },
    want: true,
  },
  // TestRegister, with `[_]` dropped
  { expr: 'process.list.key == 10', event: LIST, want: true },
  { expr: 'process.list.key != 10', event: LIST, want: false },
  { expr: 'process.list.key != 9999', event: LIST, want: true },
  { expr: 'process.list.key >= 200', event: LIST, want: true },
  { expr: 'process.list.key < 100', event: LIST, want: true },
  { expr: '10 == process.list.key', event: LIST, want: true },
  { expr: '10 != process.list.key', event: LIST, want: false },
  { expr: '9999 in process.list.key', event: LIST, want: false },
  { expr: '10 not in process.list.key', event: LIST, want: false },
  { expr: '5 < process.list.key', event: LIST, want: true },
  { expr: '10 > process.list.key', event: LIST, want: false },
  { expr: '9999 > process.list.key', event: LIST, want: true },
  { expr: 'true in process.array.flag', event: ARRAY, want: true },
  { expr: 'false not in process.array.flag', event: ARRAY, want: false },
  { expr: 'process.array.flag != false', event: ARRAY, want: false },
  { expr: '"AAA" in process.list.value', event: LIST, want: true },
  { expr: '"ZZZ" not in process.list.value', event: LIST, want: true },
  { expr: '~"AA*" in process.list.value', event: LIST, want: true },
  { expr: '~"AA*" not in process.list.value', event: LIST, want: false },
  { expr: 'r"[A]{1,3}" in process.list.value', event: LIST, want: true },
  { expr: 'process.list.value in [r"[A]{1,3}", "nnnnn"]', event: LIST, want: true },
  { expr: 'process.list.value != ~"AA*"', event: LIST, want: false },
  { expr: 'process.list.value !~ "ZZ*"', event: LIST, want: true },
  { expr: 'process.list.value not in [~"ZZ*", "nnnnn"]', event: LIST, want: true },
  { expr: 'process.list.key == 10 && process.list.value == "AAA"', event: LIST, want: true },
  { expr: 'process.list.key == 200 && process.list.value == "AAA"', event: LIST, want: true },
  { expr: 'process.array.key == 1002 && process.array.value == "EEEE"', event: ARRAY, want: true },
];
