/**
 * What the READMEs show runs, and gives what they show:
 * - every `$ command` block of examples/README.md is run (in examples/, the tools
 *   on PATH as after `npm install -g .`) and its output compared with the block,
 *   timing figures aside; `UPDATE_DOCS=1 npx vitest run test/e2e/docs.test.ts`
 *   rewrites the blocks from real runs;
 * - every pipeline line of README.md and examples/README.md runs on the example
 *   events (placeholders such as `kubectl logs ...` read them), no stage fails
 *   with a usage error, and a pipeline that ends in csm-filter or csm-validate
 *   printing lines prints some.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT } from '../helpers/run.js';

const work = mkdtempSync(join(tmpdir(), 'csm-docs-'));
const bin = join(work, 'bin');
spawnSync('mkdir', ['-p', bin]);
for (const tool of ['csm-validate', 'csm-filter', 'csm-schema']) symlinkSync(join(ROOT, `bin/${tool}.js`), join(bin, tool));
copyFileSync(EXAMPLES, join(work, 'events.ndjson'));
writeFileSync(join(work, 'events.ndjson.gz'), gzipSync(readFileSync(EXAMPLES)));
// The same events in the other input shapes (examples/generate-shapes.mjs), for the README's shape examples.
for (const shaped of ['archive.json.gz', 'api.json', 'pretty.json', 'array.json']) copyFileSync(join(ROOT, 'examples', shaped), join(work, shaped));

const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
delete env.NO_COLOR;
delete env.FORCE_COLOR;
delete env.CSM_DEBUG;

function sh(command: string, cwd: string, input = ''): { status: number | null; out: string; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd, env, encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr, stdout: r.stdout, stderr: r.stderr };
}

/** Timing figures differ from run to run: shown as `(varies)`. */
const steady = (text: string): string => text.replace(/^( {2}(?:seconds|lines\/s|MB\/s)\s+)\S+$/gm, (_, label: string) => `${label.trimEnd().padEnd(14)} (varies)`);

// ---------------------------------------------------------------------------
// examples/README.md: `$ command` blocks and their output

const EXAMPLES_README = join(ROOT, 'examples/README.md');
const BLOCK = /^```\n\$ (.*)\n([\s\S]*?)^```$/gm;
const blocks = [...readFileSync(EXAMPLES_README, 'utf8').matchAll(BLOCK)]
  .map((m) => ({ command: m[1]!, shown: m[2]! }))
  // Completing with <TAB> needs an interactive shell: test/e2e/completion.test.ts does it.
  .filter((b) => !b.command.includes('<TAB>'));

describe('examples/README.md shows real runs', () => {
  it('has runs to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
  });

  if (process.env.UPDATE_DOCS === '1') {
    it('rewrites its blocks from real runs (UPDATE_DOCS=1)', () => {
      const text = readFileSync(EXAMPLES_README, 'utf8').replace(BLOCK, (whole, command: string) =>
        command.includes('<TAB>') ? whole : `\`\`\`\n$ ${command}\n${steady(sh(command, join(ROOT, 'examples')).out)}\`\`\``,
      );
      writeFileSync(EXAMPLES_README, text);
    });
    return;
  }

  it.each(blocks)('$ $command', ({ command, shown }) => {
    expect(steady(sh(command, join(ROOT, 'examples')).out)).toBe(shown);
  });
});

// ---------------------------------------------------------------------------
// Pipelines in README.md and examples/README.md

/** Pipeline lines (4-space indented commands) and what each stands for on the example events. */
function pipelines(file: string): string[] {
  return [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^ {4}((?:cat|zcat|kubectl|csm-validate|csm-filter|csm-schema) .*)$/gm)]
    .map((m) => m[1]!.replace(/\s+#.*$/, ''))
    // Not pipelines: usage lines, a message, completion set-up and <Tab> examples; a run on remote hosts (--sshlogin).
    .filter((l) => !/\[options\]|COMMAND|completion|<tab>|^csm-filter: |--sshlogin/i.test(l));
}

const lines = [...pipelines('README.md'), ...pipelines('examples/README.md')];

describe('the READMEs\' pipelines run on the example events', () => {
  it('has pipelines to check', () => {
    expect(lines.length).toBeGreaterThanOrEqual(15);
  });

  it.each(lines)('%s', (line) => {
    const command = line.replace(/^kubectl logs \.\.\./, 'cat events.ndjson');
    // A command without a file reads the example events on stdin (the cheat sheet's hunts).
    const r = sh(command, work, readFileSync(EXAMPLES, 'utf8'));
    // 0 or 1 (some line invalid): never a usage error, a missing file or a failed stage.
    expect(r.status === 0 || r.status === 1, `${command}\nexit ${r.status}\n${r.stderr}`).toBe(true);
    expect(r.stderr).not.toMatch(/see --help|cannot read|unknown field|No such file/);
    const last = command.split('|').at(-1)!.trim();
    const prints = /^csm-(filter|validate)\b/.test(last) && !/(^|\s)(-q|--quiet|-c|--count)(\s|$)|>/.test(last);
    if (prints) expect(r.stdout, `${command} prints nothing`).not.toBe('');
  });
});
