/**
 * The executables print what their mains print: for a set of representative
 * command lines per tool, `bin/TOOL.js` (run()) and main in-process (runMain(),
 * which most tests use) give the same stdout, stderr and exit status. This is
 * also the smoke test of each executable.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Tool, runMain } from '../helpers/inprocess.js';
import { CORPUS, EXAMPLES, type RunOptions, type RunResult, run } from '../helpers/run.js';

const examples = readFileSync(EXAMPLES);
const VALID = examples.toString('utf8').split('\n')[0]!;

/** The timing lines of --summary differ from run to run. */
const timing = /^\s+(seconds|lines\/s|MB\/s)\s.*\n/gm;
const comparable = (r: RunResult) => ({ code: r.code, signal: r.signal, stdout: r.out, stdoutBytes: r.stdout.length, stderr: r.stderr.replace(timing, '') });

const CASES: Record<Tool, [string[], RunOptions?][]> = {
  'csm-validate': [
    [[EXAMPLES]],
    [['-q', CORPUS]],
    [[], { input: `{}\n{"a":\n${VALID}\n\n` }],
    [['-'], { input: gzipSync(examples) }],
    [['--error-format', 'json', CORPUS, EXAMPLES]],
    [['-q', '--summary', CORPUS, EXAMPLES]],
    [['--fail-fast', '--color', 'always', CORPUS]],
    [['no-such-file.ndjson', EXAMPLES]],
    [['--frobnicate']],
    [['--help']],
    [['--version']],
    [['completion', 'bash']],
  ],
  'csm-filter': [
    [['-k', 'exec', '-f', 'process.args', EXAMPLES]],
    [['-c', '-w', 'process.credentials.uid == 0', EXAMPLES]],
    [['-f', 'evt.name,title', '--format', 'tsv', EXAMPLES]],
    [['-f', 'title', '--format', 'csv', EXAMPLES]],
    [['--validate', '--error-format', 'github', CORPUS]],
    [['-n', '1', '--summary'], { input: `{x\n${VALID}\n${VALID}\n` }],
    [['-w', 'process.uid ==']],
    [['--field', 'process.arg']],
    [['--help']],
    [['-V']],
    [['completion', 'zsh']],
  ],
  'csm-schema': [
    [['fields', 'process.cred']],
    [['describe', 'process.executable', '--format', 'json']],
    [['kinds', '--format', 'tsv']],
    [['show']],
    [['sample', '--kind', 'exec,dns']],
    [['describe', 'process.arg']],
    [[]],
    [['--help']],
    [['--version']],
    [['completion', 'fish']],
  ],
  'csm-rules': [
    [['match', 'test/fixtures/rules/small.policy', '--format', 'ndjson', EXAMPLES]],
    [['match', '-p', 'test/fixtures/rules/small.policy', '--stats', '-q', EXAMPLES]],
    [['check', 'test/fixtures/rules/small.policy', '--format', 'json']],
    [['check', 'test/fixtures/rules/broken.policy']],
    [['diff', 'test/fixtures/rules/small.policy', 'test/fixtures/rules/small.policy'], { input: `${VALID}\n` }],
    [['frobnicate']],
    [['match', '--rule', 'nope', 'test/fixtures/rules/small.policy', EXAMPLES]],
    [['--help']],
    [['match', '--help']],
    [['completion', 'bash']],
  ],
};

describe('main in-process and the executable', () => {
  it.each(Object.keys(CASES) as Tool[])('%s: the same stdout, stderr and exit status for each command line', async (tool) => {
    for (const [args, options] of CASES[tool]) {
      const [spawned, inProcess] = await Promise.all([run(tool, args, options), runMain(tool, args, options)]);
      expect(comparable(inProcess), `${tool} ${args.join(' ')}`).toEqual(comparable(spawned));
    }
    expect(CASES[tool].length).toBeGreaterThanOrEqual(10);
  }, 180_000); // a dozen processes in a row: minutes on a loaded 2-core machine
});
