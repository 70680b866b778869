/**
 * What `--help` and the man pages tell a new user must be true and said once:
 * paths they show exist, repeatable options show no `(default: [])`, the man
 * pages have one SHELL COMPLETION section, a query-language reference and an
 * ENVIRONMENT section, and a mistyped option gets a suggestion.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TOOLS, commandFor } from '../../src/cli/commands.js';
import { manPages } from '../../src/cli/man.js';
import { main as filterMain } from '../../src/cli/filter.js';
import { main as validateMain } from '../../src/cli/validate.js';
import type { Io } from '../../src/cli/io.js';
import { resolvePath } from '../../src/core/schema-index.js';
import { bundledEventSchema, schemaIndexOf } from '../../src/io/schemas.js';
import { linuxFieldInfo } from '../../src/secl/index.js';

function helpText(tool: (typeof TOOLS)[number]): string {
  let text = '';
  const cmd = commandFor(tool).configureOutput({ writeOut: (s) => (text += s) });
  cmd.outputHelp();
  for (const sub of cmd.commands) {
    sub.configureOutput({ writeOut: (s) => (text += s) });
    sub.outputHelp();
  }
  return text;
}

async function stderrOf(main: (io: Io) => Promise<number>, argv: string[]): Promise<[number, string]> {
  let err = '';
  const stderr = new PassThrough();
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main({ argv, env: {}, stdin: new PassThrough(), stdout: new PassThrough(), stderr });
  return [code, err];
}

const index = schemaIndexOf(bundledEventSchema());

/** The lines that show SECL (a `--secl` example, the paragraph that starts `SECL (`), apart from the rest. */
function seclApart(text: string): { paths: string; secl: string } {
  let paths = '';
  let secl = '';
  let inSecl = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('.')) inSecl = false;
    if (line.startsWith('SECL (')) inSecl = true;
    if (inSecl || line.includes('--secl ')) secl += `${line}\n`;
    else paths += `${line}\n`;
  }
  return { paths, secl };
}
const SECTIONS = /\b(?:process|file|container|exec|dns|mount|evt|network|imds|agent)(?:\.[a-z_]+|\[\*\]|\[\d+\]|\["[^"]+"\])+/g;

describe('--help and man pages', () => {
  const pages = manPages();

  it.each(TOOLS)('%s: every field path --help and the man page show is one the tool accepts', (tool) => {
    const text = helpText(tool) + pages.find((p) => p.file === `${tool}.1`)!.text.replace(/\\-/g, '-').replace(/\\e/g, '\\');
    const { paths: pathText, secl } = seclApart(text);
    const paths = [...new Set(pathText.match(SECTIONS) ?? [])].filter((p) => !/^(evt|file)\.(ndjson|json)/.test(p));
    if (tool !== 'csm-validate' && tool !== 'csm-rules') expect(paths.length).toBeGreaterThan(3);
    expect(paths.filter((p) => !resolvePath(index, p).ok)).toEqual([]);
    // SECL field names (in a --secl example, the SECL paragraph) are the agent's, not paths
    const names = [...new Set(secl.match(SECTIONS) ?? [])];
    if (tool === 'csm-filter') expect(names.length).toBeGreaterThan(2);
    expect(names.filter((n) => linuxFieldInfo(n) === undefined)).toEqual([]);
  });

  it.each(TOOLS)('%s: no "(default: [])" on repeatable options, in --help or the man page', (tool) => {
    expect(helpText(tool)).not.toContain('default: []');
    expect(pages.find((p) => p.file === `${tool}.1`)!.text).not.toContain('default: []');
  });

  it.each(TOOLS)('%s.1: one SHELL COMPLETION section, which does not point to itself; an ENVIRONMENT section', (tool) => {
    const page = pages.find((p) => p.file === `${tool}.1`)!.text;
    expect(page.match(/^\.SH SHELL COMPLETION$/gm)).toHaveLength(1);
    expect(page).not.toContain('Manual: man');
    const env = page.slice(page.indexOf('.SH ENVIRONMENT'));
    expect(page).toContain('.SH ENVIRONMENT');
    for (const v of ['NO_COLOR', 'FORCE_COLOR', 'TERM', 'CSM_DEBUG']) expect(env).toContain(`.TP\n\\fB${v}\\fR\n`);
  });

  it('csm-filter.1 has one query-language section that covers every operator', () => {
    const page = pages.find((p) => p.file === 'csm-filter.1')!.text;
    expect(page.match(/^\.SH QUERY LANGUAGE/gm)).toHaveLength(1);
    const section = page.slice(page.indexOf('.SH QUERY LANGUAGE'), page.indexOf('.SH ENVIRONMENT'));
    for (const op of ['== != < <= > >=', '=~ !~', 'in [...], not in [...]', 'exists(path)', 'and &&, or ||, not !', '[*]', 'r"..."']) {
      expect(section.replace(/\\-/g, '-').replace(/\\\\f[BIR]/g, '').replace(/\\f[BIR]/g, '')).toContain(op);
    }
  });
});

describe('a mistyped option', () => {
  it.each([
    [filterMain, ['--feild', 'x'], "csm-filter: unknown option '--feild' — did you mean '--field'? (see --help)\n"],
    [validateMain, ['--colour', 'never'], "csm-validate: unknown option '--colour' — did you mean '--color'? (see --help)\n"],
    [validateMain, ['--zzzzzz'], "csm-validate: unknown option '--zzzzzz' (see --help)\n"],
  ] as const)('gets the closest option named, exit 2 (%#)', async (main, argv, message) => {
    expect(await stderrOf(main, [...argv])).toEqual([2, message]);
  });
});
