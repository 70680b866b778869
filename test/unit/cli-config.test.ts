/**
 * What was typed -> options -> config, for both line tools, without running:
 * parseValidateArgs/buildValidateConfig and parseFilterArgs/buildFilterConfig.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/diagnostic.js';
import type { Io } from '../../src/cli/io.js';
import { buildFilterConfig, parseFilterArgs, splitList } from '../../src/cli/filter.js';
import { buildValidateConfig, parseValidateArgs } from '../../src/cli/validate.js';
import { EXAMPLES } from '../helpers/run.js';

function io(argv: string[]): Io & { out: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (d: Buffer) => chunks.push(d));
  return { argv, env: {}, stdin: new PassThrough(), stdout, stderr: new PassThrough(), out: () => Buffer.concat(chunks).toString() };
}

/** The options of a command line that runs (not --help). */
function ran<T extends object>(parsed: T): Exclude<T, { exit: unknown }> {
  if ('exit' in parsed) throw new Error('expected options, got an exit');
  return parsed as Exclude<T, { exit: unknown }>;
}

describe('csm-validate options and config', () => {
  it('reads every flag', () => {
    const o = parseValidateArgs(io(['-q', '--fail-fast', '--max-invalid', '3', '-j', '2', '--error-format', 'json', '--summary', '--no-progress', '--color', 'never', '--max-line-bytes', '4K', 'a', 'b']));
    expect(o).toMatchObject({
      files: ['a', 'b'],
      quiet: true,
      failFast: true,
      maxInvalid: 3,
      jobs: 2,
      errorFormat: 'json',
      maxLineBytes: 4096,
      report: { summary: true, progress: false, color: 'never' },
    });
  });

  it('--help is an exit 0 with the help on stdout; a bad flag a UsageError naming it', () => {
    const i = io(['--help']);
    expect(parseValidateArgs(i)).toEqual({ exit: 0 });
    expect(i.out()).toContain('Usage: csm-validate');
    expect(() => parseValidateArgs(io(['--max-invalid', '0']))).toThrow(/--max-invalid.*expected a whole number >= 1/);
  });

  it('--fail-fast stops after one invalid line; jobs default to one per core past 8 MiB', () => {
    const c = buildValidateConfig(ran(parseValidateArgs(io(['--fail-fast', EXAMPLES]))));
    expect([c.stopAfterInvalid, c.inlineBytes, c.jobs >= 1, c.inputs.map((i) => i.name)]).toEqual([1, 8 * 1024 * 1024, true, [EXAMPLES]]);
    const j = buildValidateConfig(ran(parseValidateArgs(io(['-j', '1']))));
    expect([j.jobs, j.inlineBytes, j.stopAfterInvalid]).toEqual([1, 0, Infinity]);
  });

  it('refuses an output that is an input', () => {
    expect(() => buildValidateConfig(ran(parseValidateArgs(io(['--invalid-out', EXAMPLES, EXAMPLES]))))).toThrow(UsageError);
  });
});

describe('csm-filter options and config', () => {
  it('splits lists on commas outside brackets and quotes', () => {
    expect(splitList('a, b,mount["x,y"],c[0]')).toEqual(['a', 'b', 'mount["x,y"]', 'c[0]']);
  });

  it('reads every flag', () => {
    const o = parseFilterArgs(io(['-k', 'exec,open', '-k', 'dns', '-w', 'a == 1', '-w', 'b == 2', '-v', '-n', '5', '-f', 'evt.name,process.pid', '--format', 'tsv', '--no-header', '--validate', '--no-schema-check', 'f']));
    expect(o).toMatchObject({
      files: ['f'],
      kinds: ['exec', 'open', 'dns'],
      where: ['a == 1', 'b == 2'],
      invert: true,
      limit: 5,
      fields: ['evt.name', 'process.pid'],
      format: 'tsv',
      header: false,
      validate: true,
      schemaCheck: false,
    });
  });

  it('builds the job the workers rebuild from plain data, and the printer of the header', async () => {
    const c = await buildFilterConfig(ran(parseFilterArgs(io(['-k', 'exec', '-f', 'process.args', '--format', 'csv']))));
    expect(c.settings).toMatchObject({ spec: { kinds: ['exec'], fields: ['process.args'] }, print: { format: 'csv' }, schemaCheck: true, validate: false });
    expect(JSON.parse(JSON.stringify(c.settings))).toEqual(c.settings);
    expect(c.printer?.header()).toBe('process.args\r\n');
    const counted = await buildFilterConfig(ran(parseFilterArgs(io(['-c', '-f', 'process.args']))));
    expect([counted.settings.print, counted.printer]).toEqual([undefined, undefined]);
  });

  it.each([
    [['-v'], '--invert needs a --kind or --where (or --secl) to invert'],
    [['--format', 'raw', '-f', 'a', '-f', 'b', '--no-schema-check'], '--format raw takes exactly one --field'],
    [['--format', 'tsv'], '--format tsv needs at least one --field'],
    [['--flat'], '--flat goes with --field and --format ndjson'],
    [['-f', 'process.bogus'], /^--field process\.bogus: unknown field/],
    [['-f', 'process.args[*]', '-f', 'process.args[0]'], '--field process.args[0]: [*] and [N] cannot both select from the same list'],
    [['-w', 'process.uid =='], /^--where: expected a value after '==' at column 14\n  process.uid ==\n {15}\^$/],
  ])('%j is a usage error: %s', async (argv, message) => {
    await expect(buildFilterConfig(ran(parseFilterArgs(io(argv))))).rejects.toThrow(message);
  });
});
