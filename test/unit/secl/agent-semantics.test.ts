/**
 * Where the agent's evaluator differs from intuition: one test each, named after the
 * agent's behaviour, citing the source under /work/shared/reference/datadog-agent/
 * pkg/security/secl/compiler/.
 */
import { describe, expect, it } from 'vitest';
import { run, OPTIONS } from './helpers.js';

const S = 1_000_000_000n;

describe("the agent's SECL semantics", () => {
  it('ast/secl.go: && and || share one level and nest to the right, so `false && false || true` is false', () => {
    expect(run('false && false || true', {})).toBe(false);
    expect(run('(false && false) || true', {})).toBe(true);
  });

  it('eval/eval.go: `!=` on an iterator field is Not(any equal): true only when NO element is equal', () => {
    const ev = { 'process.ancestors.file.name': ['bash', 'sh'] };
    expect(run('process.ancestors.file.name != "sh"', ev)).toBe(false);
    expect(run('process.ancestors.file.name == "sh"', ev)).toBe(true);
    expect(run('process.ancestors.file.name != "zsh"', ev)).toBe(true);
  });

  it('eval/eval.go: `!~` and `not in` on an iterator field are likewise "no element matches"', () => {
    const ev = { 'process.ancestors.file.name': ['bash', 'sh'] };
    expect(run('process.ancestors.file.name !~ "ba*"', ev)).toBe(false);
    expect(run('process.ancestors.file.name not in ["x", "sh"]', ev)).toBe(false);
    expect(run('process.ancestors.file.name not in ["x", "y"]', ev)).toBe(true);
  });

  it('eval/operators.go StringEquals: a pattern only matches against a field; `"abc" == ~"a*"` compares two strings', () => {
    expect(run('"abc" == ~"a*"', {})).toBe(false);
    expect(run('"a*" == ~"a*"', {})).toBe(true);
  });

  it('eval/eval.go: `=~` reads a plain string as a pattern, `==` does not', () => {
    const ev = { 'process.file.name': 'bash' };
    expect(run('process.file.name =~ "b*"', ev)).toBe(true);
    expect(run('process.file.name == "b*"', ev)).toBe(false);
  });

  it('eval/pattern.go: a pattern segment is searched at its first occurrence, without backtracking: ~"*ab" misses "abab"', () => {
    expect(run('process.file.name == ~"*ab"', { 'process.file.name': 'abab' })).toBe(false);
    expect(run('process.file.name == ~"*ab"', { 'process.file.name': 'cab' })).toBe(true);
  });

  it('eval/oo_glob_cmp.go + glob.go: on a path field a pattern is a glob whose `*` stops at `/`; elsewhere `*` crosses it', () => {
    const path = '/usr/local/bin/tool';
    expect(run('process.file.path == ~"/usr/*/tool"', { 'process.file.path': path })).toBe(false);
    expect(run('process.file.path == ~"/usr/**/tool"', { 'process.file.path': path })).toBe(true);
    expect(run('process.file.name == ~"/usr/*/tool"', { 'process.file.name': path })).toBe(true);
  });

  it('eval/oo_glob_cmp.go: patterns inside `in [...]` on a path field are globs too', () => {
    expect(run('process.file.path in [~"/usr/*"]', { 'process.file.path': '/usr/bin/x' })).toBe(false);
    expect(run('process.file.path in [~"/usr/*/*"]', { 'process.file.path': '/usr/bin/x' })).toBe(true);
  });

  it('eval/strings.go RegexpStringMatcher: a regexp is searched, not anchored (Go MatchString)', () => {
    expect(run('process.file.name =~ r"as"', { 'process.file.name': 'bash' })).toBe(true);
    expect(run('process.file.name =~ r"^as"', { 'process.file.name': 'bash' })).toBe(false);
  });

  it('eval/oo_case_insensitive.go: a case-insensitive field compares strings, patterns and regexps ignoring case', () => {
    const ev = { 'dns.question.name': 'WWW.Example.com' };
    expect(run('dns.question.name == "www.example.COM"', ev)).toBe(true);
    expect(run('dns.question.name =~ "*.EXAMPLE.com"', ev)).toBe(true);
    expect(run('dns.question.name =~ r"example\\.COM$"', ev)).toBe(true);
    expect(run('dns.question.name in ["www.example.com"]', ev)).toBe(true);
  });

  it('eval/evaluators.go ToStringMatcher: a case-insensitive field against a ${variable} compares exactly (no matcher for a non-static value)', () => {
    const ev = { 'dns.question.name': 'Example.com' };
    const opts = { variables: { 'process.correlation_key': 'example.com' } };
    expect(run('dns.question.name == "${process.correlation_key}"', ev, opts)).toBe(false);
    expect(run('dns.question.name == "${process.correlation_key}"', { 'dns.question.name': 'example.com' }, opts)).toBe(true);
  });

  it('eval/eval.go: `allin` is plain `in` for strings; only IP arrays treat it apart', () => {
    const ev = { 'process.argv': ['-c', 'x'] };
    expect(run('process.argv allin ["-c", "-x"]', ev)).toBe(true);
  });

  it('eval/cidr.go MatchAll: `ips allin [a, b]` needs EVERY field IP to match EVERY listed network', () => {
    const ev = { 'network.ips': ['10.0.0.1'] };
    expect(run('network.ips allin [10.0.0.0/8]', ev)).toBe(true);
    expect(run('network.ips allin [10.0.0.0/8, 10.0.0.0/16]', ev)).toBe(true);
    expect(run('network.ips allin [10.0.0.0/8, 192.168.0.0/16]', ev)).toBe(false);
    expect(run('network.ips allin [10.0.0.0/8]', { 'network.ips': [] })).toBe(true);
  });

  it('eval/cidr.go IPNetsMatch: `ip == CIDR` holds when either contains the other\'s address', () => {
    expect(run('network.destination.ip == 10.0.0.0/8', { 'network.destination.ip': '10.1.1.1' })).toBe(true);
    expect(run('network.destination.ip == 10.1.1.1', { 'network.destination.ip': '10.0.0.0/8' })).toBe(true);
  });

  it('eval/operators.go CIDRArrayMatchesCIDREvaluator: `ipArray == X` holds only when an element CONTAINS X', () => {
    expect(run('network.ips == 10.1.1.1', { 'network.ips': ['10.0.0.0/8'] })).toBe(true);
    expect(run('network.ips == 10.0.0.0/8', { 'network.ips': ['10.1.1.1'] })).toBe(false);
  });

  it('eval_operators.go Duration*: `field < 30s` compares now - field, now being the event\'s own time', () => {
    const now = 1_000_000n * S;
    expect(run('exec.file.change_time < 30s', { 'exec.file.change_time': now - 10n * S }, { now })).toBe(true);
    expect(run('exec.file.change_time < 30s', { 'exec.file.change_time': now - 40n * S }, { now })).toBe(false);
    // Same event, read later by the wall clock: the verdict does not change.
    expect(run('exec.file.change_time < 30s', { 'exec.file.change_time': now - 10n * S }, { now })).toBe(true);
  });

  it('eval/eval.go: after + or -, a comparison with a duration is plain (isFromArithmeticOperation)', () => {
    const ev = { 'exec.file.change_time': 100n * S, 'process.created_at': 90n * S };
    expect(run('exec.file.change_time - process.created_at < 30s', ev, { now: 10_000n * S })).toBe(true);
    expect(run('exec.file.change_time - process.created_at > 30s', ev, { now: 10_000n * S })).toBe(false);
  });

  it('eval_operators.go IntAnd/IntOr/IntXor: two non-constant operands are refused ("full dynamic bitmask operation not supported")', () => {
    const r = run('open.flags & process.pid > 0', {});
    expect(typeof r === 'object' && r.message).toBe('full dynamic bitmask operation not supported');
  });

  it('participle ParseInt(s, 0, 64): an integer with a leading 0 is octal', () => {
    expect(run('process.file.mode == 0755', { 'process.file.mode': 493 })).toBe(true);
  });

  it('model: a scalar field the event lacks reads as its zero value (`container.id != ""` is false on a host)', () => {
    expect(run('container.id != ""', {})).toBe(false);
    expect(run('process.pid == 0', {})).toBe(true);
  });

  it('eval/eval.go identToEvaluator: constants come before macros, macros before fields', () => {
    const macros = new Map([['O_CREAT', 'false'], ['process.pid', 'true']]);
    const opts = { ...OPTIONS, macros };
    expect(run('open.flags & O_CREAT > 0', { 'open.flags': 0o100 }, { options: opts })).toBe(true);
    expect(run('process.pid', {}, { options: opts })).toBe(true);
  });

  it('eval/eval.go + the model\'s generated accessors: a register `[A]` is checked (`_` refused, one iterator per register) but binds nothing: each condition holds for ANY element', () => {
    const ev = { 'process.ancestors.comm': ['sh', 'sshd'], 'process.ancestors.pid': [42, 1] };
    expect(run('process.ancestors[A].comm == "sshd" && process.ancestors[A].pid == 1', ev)).toBe(true);
    expect(run('process.ancestors[A].comm == "sh" && process.ancestors[A].pid == 1', ev)).toBe(true);
    expect(run('process.ancestors[A].comm == "sh" && process.ancestors.pid == 1', ev)).toBe(true);
    const refused = run('process.ancestors[_].pid == 1', ev);
    expect(typeof refused === 'object' && refused.message).toBe("`_` can't be used as a iterator variable name");
    const mixed = run('process.ancestors[A].pid == 1 && process.argv[A] == "x"', ev);
    expect(typeof mixed === 'object' && mixed.message).toBe("iterator variable used by different fields 'A'");
  });
});
