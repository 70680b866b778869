import { describe, expect, it } from 'vitest';
import { LINUX_CONSTANT_TABLES, SECL_CONSTANTS } from '../../../src/secl/constants.js';
import { compileRule } from '../../../src/secl/eval.js';

describe('SECL constants (generated from consts_common.go and consts_linux.go)', () => {
  it.each([
    ['O_RDONLY', 0n],
    ['O_CREAT', 0o100n],
    ['O_TRUNC', 0o1000n],
    ['S_IXUSR', 0o100n],
    ['S_ISUID', 0o4000n],
    ['S_IFMT', 0o170000n],
    ['S_IFREG', 0o100000n],
    ['CAP_SYS_ADMIN', 1n << 21n],
    ['CAP_CHOWN', 1n],
    ['SIGKILL', 9n],
    ['EACCES', -13n],
    ['EPERM', -1n],
    ['AF_INET', 2n],
    ['AF_INET6', 10n],
    ['PTRACE_ATTACH', 16n],
    ['PROT_EXEC', 4n],
    ['IPPROTO_TCP', 6n],
    ['ETH_P_IP', 0x800n],
    ['AUDIT_AUID_UNSET', 4294967295n],
    ['EXITED', 0n],
    ['COREDUMPED', 1n],
    ['true', true],
    ['false', false],
  ])('%s is %s', (name, value) => {
    expect(SECL_CONSTANTS.get(name)).toBe(value);
  });

  it('keeps each Go table apart, e.g. the open flags', () => {
    expect(LINUX_CONSTANT_TABLES.openFlagsConstants['O_CREAT']).toBe('64');
    expect(Object.keys(LINUX_CONSTANT_TABLES.openFlagsConstants)).toContain('O_NOFOLLOW');
  });

  it('lets the default policy macro CHMOD_EXEC_FLAGS (S_IXUSR|S_IXGRP|S_IXOTH) mean 0111', () => {
    const r = compileRule('m & CHMOD_EXEC_FLAGS == 0111', {
      fields: (n) => (n === 'm' ? { type: 'int' } : undefined),
      macros: new Map([['CHMOD_EXEC_FLAGS', 'S_IXUSR|S_IXGRP|S_IXOTH']]),
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.match({ get: () => [0o755] })).toBe(true);
  });
});
