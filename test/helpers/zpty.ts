/**
 * zsh completion in a real interactive zsh: types each line and then its keys into `zsh -f -i`
 * (compinit, the completion script sourced) in a zpty, and gives the line buffer after them
 * (read by a widget bound to ^X).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run.js';

const ZPTY = `
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "PS1='RE''ADY> '; autoload -U compinit; compinit -u -D; source \${(q)1}; dump() { print -r -- \\"<<\\"\\"\\$BUFFER>\\"\\">\\"; zle kill-whole-line; }; zle -N dump; bindkey '^X' dump"
zpty -r -m z out '*READY> ' || exit 3
shift
while (($#)); do
  zpty -w -n z "$1"
  for k in \${(s: :)2}; do sleep 0.05; zpty -w -n z "\${(g::)k}"; done
  sleep 0.05
  zpty -w -n z $'\\C-x'
  zpty -r -m z out '*<<*>>*' || exit 4
  print -r -- "\${\${out##*<<}%%>>*}"
  shift 2
done
zpty -d z
`;

/** The line buffers after typing each [line, keys] with `script` loaded; status and stderr to check. */
export function zshTyped(dir: string, script: string, cases: readonly (readonly [string, string])[]): { status: number | null; stderr: string; lines: string[] } {
  const harness = join(dir, 'zpty.zsh');
  writeFileSync(harness, ZPTY);
  const r = spawnSync('zsh', ['-f', harness, script, ...cases.flat()], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, lines: r.stdout.split('\n').slice(0, -1) };
}
