/**
 * Man pages: man/*.1 are what scripts/gen-man.mjs generates from the commander
 * definitions (so they cannot drift from --help), package.json lists them, and
 * they render (man -l, groff) or at least are well-formed roff.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it, test } from 'vitest';
import { filterCommand, rulesCommand, schemaCommand, validateCommand } from '../../src/cli/commands.js';
import { ROOT } from '../helpers/run.js';

const PAGES = ['csm-validate.1', 'csm-filter.1', 'csm-schema.1', 'csm-rules.1'];
const COMMANDS: Record<string, Command> = {
  'csm-validate.1': validateCommand(),
  'csm-filter.1': filterCommand(),
  'csm-schema.1': schemaCommand(),
  'csm-rules.1': rulesCommand(),
};
const committed = (page: string): string => readFileSync(join(ROOT, 'man', page), 'utf8');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
/** Macros the pages may use (man(7)). */
const MACROS = new Set(['TH', 'SH', 'SS', 'TP', 'PP', 'RS', 'RE', 'nf', 'fi', 'br', '\\"']);

describe('man pages', () => {
  it('man/ holds exactly what scripts/gen-man.mjs generates now (run `npm run gen:man` after changing options or help)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-man-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-man.mjs'), dir], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readdirSync(dir).sort()).toEqual([...PAGES].sort());
    for (const page of PAGES) expect(committed(page), page).toBe(readFileSync(join(dir, page), 'utf8'));
  });

  it('package.json lists them under "man", and csm-schema under "bin"', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string[]; bin: Record<string, string> };
    expect(pkg.man).toEqual(PAGES.map((p) => `./man/${p}`));
    expect(pkg.bin['csm-schema']).toBe('bin/csm-schema.js');
  });

  test.for(PAGES)('%s documents every option with its default, the exit status and examples', (page) => {
    const text = committed(page);
    const cmd = COMMANDS[page]!;
    for (const c of [cmd, ...cmd.commands]) {
      for (const o of c.options) {
        expect(text, `${page}: ${o.long}`).toContain(o.long!.replace(/-/g, '\\-'));
        if (o.defaultValue !== undefined && !Array.isArray(o.defaultValue)) {
          expect(text, `${page}: default of ${o.long}`).toContain(`default: ${String(o.defaultValueDescription ?? JSON.stringify(o.defaultValue)).replace(/-/g, '\\-')}`);
        }
      }
    }
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'EXAMPLES', 'SHELL COMPLETION', 'SEE ALSO']) {
      expect(text).toContain(`.SH ${section}\n`);
    }
  });

  test.for(PAGES)('%s is well-formed roff: .TH first, known macros only, no line starting with a stray control character', (page) => {
    const lines = committed(page).split('\n').filter((l) => !l.startsWith('.\\"'));
    expect(lines[0]).toMatch(/^\.TH CSM-[A-Z]+ 1 "" "csm-ndjson [^"]+" "User Commands"$/);
    for (const l of lines) {
      if (l.startsWith('.')) expect(MACROS, l).toContain(l.slice(1).split(' ')[0]);
      expect(l.startsWith("'"), l).toBe(false);
    }
  });

  test.for(PAGES)('%s renders with man -l and groff without warnings', (page, { skip }) => {
    if (!has('man') && !has('groff')) {
      console.warn('neither man nor groff is installed: skipping the rendering check');
      skip();
    }
    const file = join(ROOT, 'man', page);
    if (has('groff')) {
      const g = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', file], { encoding: 'utf8' });
      expect([g.status, g.stderr]).toEqual([0, '']);
    }
    if (has('man')) {
      const m = spawnSync('man', ['-l', '-P', 'cat', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '100', MAN_KEEP_FORMATTING: '' } });
      expect([m.status, m.stderr]).toEqual([0, '']);
      const plain = m.stdout.replace(/.\x08/g, '');
      const tool = page.replace(/\.1$/, '');
      expect(plain).toMatch(new RegExp(`^NAME\\n +${tool} +- `, 'm'));
      expect(plain).toMatch(/^EXAMPLES$/m);
      expect(plain).toContain(`${tool} completion fish | source`);
    }
  });
});
