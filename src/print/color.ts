/**
 * Whether to colour a stream: `--color always|never` wins; with `auto`,
 * FORCE_COLOR (any value but "0"/"false") turns colour on, as Node itself reads it,
 * NO_COLOR (non-empty) turns it off, and otherwise a TTY that is not TERM=dumb
 * gets colour.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export type ColorMode = 'auto' | 'always' | 'never';

export function colorEnabled(
  mode: ColorMode,
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
