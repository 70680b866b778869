/**
 * csm-schema as a real process: stdout closed early by `| head`. Its commands
 * and conventions are tested through main in test/cli/schema.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, lines } from '../helpers/run.js';

describe('csm-schema: a reader that goes away', () => {
  it('stops quietly when stdout is closed early', () => {
    const r = spawnSync('bash', ['-c', `node ${ROOT}bin/csm-schema.js fields | head -1; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^PATH +TYPE +DESCRIPTION$/), '0']);
    expect(r.stderr).toBe('');
  });
});
