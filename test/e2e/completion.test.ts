/**
 * `TOOL completion bash|zsh|fish`: the scripts (printed by main in-process)
 * parse (bash -n, zsh -n, fish -n), and completing in a real bash (and fish,
 * when installed), with the script the real executable prints, offers options,
 * choices, kinds, field paths and files; the executables' completion errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, test } from 'vitest';
import { filterCommand, schemaCommand, validateCommand } from '../../src/cli/commands.js';
import { runMain } from '../helpers/inprocess.js';
import { ROOT, binPath, run } from '../helpers/run.js';

const TOOLS = ['csm-validate', 'csm-filter', 'csm-schema', 'csm-rules'] as const;
const SHELLS = ['bash', 'zsh', 'fish'] as const;
const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;
const scripts = new Map<string, string>();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csm-completion-'));
  await Promise.all(
    TOOLS.flatMap((tool) =>
      SHELLS.map(async (shell) => {
        const r = await runMain(tool, ['completion', shell]);
        expect([r.code, r.stderr]).toEqual([0, '']);
        scripts.set(`${tool} ${shell}`, r.out);
      }),
    ),
  );
});

function sh(shell: string, args: string[], input?: string) {
  return spawnSync(shell, args, { encoding: 'utf8', input, cwd: ROOT });
}

describe('the scripts parse', () => {
  test.for(TOOLS.flatMap((tool) => SHELLS.map((shell) => [tool, shell] as const)))('%s completion %s', ([tool, shell], { skip }) => {
    const script = scripts.get(`${tool} ${shell}`)!;
    expect(script).toContain(tool);
    if (!has(shell)) {
      console.warn(`${shell} is not installed: skipping its syntax check`);
      skip();
    }
    const file = join(dir, `${tool}.${shell}`);
    writeFileSync(file, script);
    const r = sh(shell, ['-n', file]);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});

/** What the bash completion function offers for the words typed so far (the last one is completed). */
function bashComplete(tool: string, words: string[]): string[] {
  const fn = `_${tool.replace(/-/g, '_')}`;
  const quoted = [tool, ...words].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = sh('bash', [
    '--norc',
    '-c',
    `source <(node ${binPath(tool)} completion bash); COMP_WORDS=(${quoted}); COMP_CWORD=${words.length}; ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('bash: completing in a real bash', () => {
  it('--field process.cred offers process.credentials and its children, one step at a time', () => {
    expect(bashComplete('csm-filter', ['--field', 'process.cred'])).toEqual(['process.credentials', 'process.credentials.']);
    const children = bashComplete('csm-filter', ['--field', 'process.credentials.']);
    expect(children).toContain('process.credentials.uid');
    expect(children).toContain('process.credentials.cap_effective');
    expect(children.every((c) => c.startsWith('process.credentials.'))).toBe(true);
  });

  it('paths go through arrays ([*]) and keys with dots, after a comma too, and for --where and -f=', () => {
    expect(bashComplete('csm-filter', ['-f', 'process.ancestors'])).toEqual(['process.ancestors', 'process.ancestors[*].']);
    expect(bashComplete('csm-filter', ['-f', 'mount.mountpoint.'])).toEqual(['mount.mountpoint.path', 'mount.mountpoint.path_error']);
    expect(bashComplete('csm-filter', ['-f', 'evt.name,process.pi'])).toEqual(['evt.name,process.pid']);
    expect(bashComplete('csm-filter', ['--count-by', 'evt.name,process.credentials.cap_e'])).toEqual(['evt.name,process.credentials.cap_effective']);
    expect(bashComplete('csm-filter', ['-w', 'dns.question.na'])).toEqual(['dns.question.name']);
    expect(bashComplete('csm-filter', ['--field', '=', 'exit.c'])).toEqual(['exit.cause', 'exit.code']);
  });

  it('the offered paths are accepted by csm-filter --field', async () => {
    const r = await runMain('csm-filter', ['-c', '-f', 'mount.mountpoint.path', '-f', 'process.ancestors[*].executable.path'], { input: '' });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('--kind offers the kinds, after a comma too', () => {
    expect(bashComplete('csm-filter', ['--kind', 'ex'])).toEqual(['exec', 'exit']);
    expect(bashComplete('csm-filter', ['-k', 'exec,unl'])).toEqual(['exec,unlink', 'exec,unload_module']);
    expect(bashComplete('csm-schema', ['sample', '--kind', 'load'])).toEqual(['load_module']);
  });

  it('choices of --format, --error-format and --color', () => {
    expect(bashComplete('csm-filter', ['--format', ''])).toEqual(['ndjson', 'tsv', 'csv', 'raw', 'text']);
    expect(bashComplete('csm-validate', ['--error-format', ''])).toEqual(['text', 'json', 'github']);
    expect(bashComplete('csm-filter', ['--color', 'a'])).toEqual(['auto', 'always']);
    expect(bashComplete('csm-schema', ['kinds', '--format', ''])).toEqual(['text', 'tsv', 'json']);
  });

  it('options, from the commander definitions', () => {
    const longs = (cmd: ReturnType<typeof validateCommand>) => cmd.options.map((o) => o.long!).filter(Boolean);
    expect(bashComplete('csm-validate', ['--'])).toEqual(expect.arrayContaining(longs(validateCommand())));
    expect(bashComplete('csm-filter', ['--'])).toEqual(expect.arrayContaining(longs(filterCommand())));
    expect(bashComplete('csm-filter', ['--inv'])).toEqual(['--invert']);
    const fields = schemaCommand().commands.find((c) => c.name() === 'fields')!;
    expect(bashComplete('csm-schema', ['fields', '--'])).toEqual(expect.arrayContaining(longs(fields)));
  });

  it('files for FILE arguments and file-valued options', () => {
    expect(bashComplete('csm-validate', ['examples/ev'])).toEqual(['examples/events.ndjson']);
    expect(bashComplete('csm-filter', ['--schema', 'schema/backend_w'])).toEqual(['schema/backend_windows.2024-06-17.schema.json']);
  });

  it('csm-rules: its commands, their options and choices, policy files', () => {
    expect(bashComplete('csm-rules', [''])).toEqual(['check', 'match', 'diff', 'completion']);
    expect(bashComplete('csm-rules', ['match', '--st'])).toEqual(['--stats']);
    expect(bashComplete('csm-rules', ['match', '--format', ''])).toEqual(['lines', 'tsv', 'ndjson']);
    expect(bashComplete('csm-rules', ['check', '-p', 'test/fixtures/rules/sma'])).toEqual(['test/fixtures/rules/small.policy']);
  });

  it('csm-schema: its commands, then each command\'s arguments', () => {
    expect(bashComplete('csm-schema', [''])).toEqual(['fields', 'describe', 'kinds', 'secl', 'show', 'sample', 'versions', 'diff', 'completion']);
    expect(bashComplete('csm-schema', ['describe', 'process.execu'])).toEqual(['process.executable', 'process.executable.']);
    expect(bashComplete('csm-schema', ['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });
});

describe('fish: completing in a real fish', () => {
  const fishComplete = (tool: string, line: string): string[] => {
    const r = sh('fish', ['--no-config', '-c', `node ${binPath(tool)} completion fish | source; complete -C ${JSON.stringify(line)}`]);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
  };

  it.skipIf(!has('fish'))('offers paths, kinds after a comma, choices and commands', () => {
    expect(fishComplete('csm-filter', 'csm-filter --field process.cred')).toContain('process.credentials.uid');
    expect(fishComplete('csm-filter', 'csm-filter --kind exec,op')).toEqual(['exec,open']);
    expect(fishComplete('csm-validate', 'csm-validate --error-format ')).toEqual(['github', 'json', 'text']);
    expect(fishComplete('csm-schema', 'csm-schema ')).toEqual(['completion', 'describe', 'diff', 'fields', 'kinds', 'sample', 'secl', 'show', 'versions']);
  });
});

describe('zsh', () => {
  it.skipIf(!has('zsh'))('registers its function with compdef when sourced after compinit', () => {
    const r = sh('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -D && source <(node ${binPath('csm-filter')} completion zsh) && print -r -- $_comps[csm-filter]`]);
    expect([r.stdout, r.stderr]).toEqual(['_csm_filter\n', '']);
  });
});

describe('errors', () => {
  it.each([
    [['completion'], "csm-filter: missing required argument 'SHELL' (see --help)\n"],
    [['completion', 'tcsh'], "csm-filter: command-argument value 'tcsh' is invalid for argument 'SHELL'. Allowed choices are bash, zsh, fish. (see --help)\n"],
  ])('csm-filter %j: one line, exit 2', async (args, message) => {
    const r = await run('csm-filter', args);
    expect([r.code, r.out, r.stderr]).toEqual([2, '', message]);
  });

  it('completion --help shows how to load the script', async () => {
    const r = await run('csm-validate', ['completion', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: csm-validate completion \[options\] <SHELL>/);
  });

  it('a file named completion is still read as ./completion', async () => {
    const r = await run('csm-validate', ['./completion']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('./completion');
  });
});
