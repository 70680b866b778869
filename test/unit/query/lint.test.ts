import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src/query/index.js';
import { lintQuery } from '../../../src/query/lint.js';

const lint = (q: string): string[] => {
  const p = parseQuery(q);
  if (!p.ok) throw new Error(q);
  return lintQuery(p.ast).map((w) => `${q.slice(w.span.start, w.span.end)}: ${w.message}`);
};

describe('lintQuery: valid queries that are probably mistakes', () => {
  it.each([['file.path =~ "^/tmp/"'], ['process.executable.path =~ "/tmp/.*"'], ['process.comm =~ "(sh|bash)"'], ['file.name =~ "\\\\d+.log"'], ['file.path !~ "*.sh$"']])(
    'a glob that looks like a regex: %s',
    (q) => {
      const w = lint(q);
      expect(w).toHaveLength(1);
      expect(w[0]).toMatch(/is a glob, .*for a regular expression write r"/);
    },
  );

  it('a single * at an end of a glob on a path field, with the ** spelling', () => {
    expect(lint('file.path =~ "/etc/*"')).toEqual([
      `"/etc/*": '*' stops at '/': "/etc/*" matches within one directory level; to match at any depth write "/etc/**"`,
    ]);
    expect(lint('process.ancestors[*].executable.path =~ "*/nc"')[0]).toMatch(/write "\*\*\/nc"/);
    expect(lint('file.path in ["/a/*"] or not (file.destination.path =~ "/b/*")')).toHaveLength(1); // `in` is not a glob
  });

  it('says nothing of a sound query', () => {
    for (const q of ['file.path =~ "/etc/**"', 'file.name =~ "*.sh"', 'process.comm =~ "ba*"', 'file.path =~ r"^/tmp/"', 'file.path =~ "/home/*/.ssh/authorized_keys"', 'file.path == "/etc/*"']) {
      expect(lint(q)).toEqual([]);
    }
  });
});
