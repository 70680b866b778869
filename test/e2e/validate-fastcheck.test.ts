/**
 * csm-validate through its executable with the byte-level fast path on (the
 * default) and off (CSM_FASTCHECK=0): the same bytes out, the same report and
 * exit status, also with --jobs 2 (the workers judge with the fast path too).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from '../helpers/run.js';

const INPUT = Buffer.concat([
  readFileSync(join(ROOT, 'examples/events.ndjson')),
  readFileSync(join(ROOT, 'examples/mixed-agents.ndjson')),
  Buffer.from('{"agent":{"rule_id":"r","os":"linux"},"title":"t","evt":{"name":"exec"},"zzz":1}\n'),
  Buffer.from('{"agent":{"rule_id":"r"},"title":"t","evt":{"name":"exec","name":"open"}}\n'),
  Buffer.from('{"agent":{"rule_id":"heartbeat"},"title":"t"}\n'),
  Buffer.from('{"agent":{"rule_id":"r"},"title":"\\ud800","evt":{"name":"\\ufeffexec"}}\n'),
  Buffer.from('not json\n'),
]);

describe('csm-validate: fast path on and off through the executable', () => {
  it.each([[[] as string[]], [['--jobs', '2']], [['--schema', 'linux-2024-08', '--summary']]])('the same stdout, stderr and exit status (%j)', async (extra) => {
    const on = await run('csm-validate', [...extra, '-'], { input: INPUT });
    const off = await run('csm-validate', [...extra, '-'], { input: INPUT, env: { CSM_FASTCHECK: '0' } });
    const untimed = (s: string) => s.replace(/^ *(seconds|lines\/s|MB\/s) .*$/gm, '');
    expect(on.code).toBe(1);
    expect(on.code).toBe(off.code);
    expect(on.stdout.equals(off.stdout)).toBe(true);
    expect(untimed(on.stderr)).toBe(untimed(off.stderr));
    expect(on.stdout.toString()).toContain('\\ufeffexec');
  });

  it('reads a --schema file once, so that it may be a pipe', async () => {
    // bash's <(...) names a pipe that can be read only once.
    const r = spawnSync('bash', ['-c', 'node bin/csm-validate.js --schema <(cat schema/backend_linux.schema.json) examples/events.ndjson'], {
      cwd: ROOT,
      env: { ...process.env, CSM_DEBUG: '1' },
    });
    expect(r.stderr.toString()).toContain('debug: fast path (core/fastcheck): the --schema file: on');
    expect(r.status).toBe(0);
    expect(r.stdout.equals(readFileSync(join(ROOT, 'examples/events.ndjson')))).toBe(true);
  });

  it('says under CSM_DEBUG whether the fast path is on', async () => {
    const on = await run('csm-validate', ['-q', '-'], { input: INPUT, env: { CSM_DEBUG: '1' } });
    expect(on.stderr).toContain('debug: fast path (core/fastcheck): linux-2025-09: on');
    const file = await run('csm-validate', ['-q', '--schema', 'test/fixtures/fastcheck-enum.schema.json', '-'], { input: INPUT, env: { CSM_DEBUG: '1' } });
    expect(file.stderr).toContain("debug: fast path (core/fastcheck): the --schema file: off (keyword 'enum' is not covered)");
    const empty = await run('csm-validate', ['-q', '-'], { input: '', env: { CSM_DEBUG: '1' } });
    expect(empty.stderr).not.toContain('fast path');
    const tolerant = await run('csm-validate', ['-q', '--allow-unknown-keys', '-'], { input: INPUT, env: { CSM_DEBUG: '1' } });
    expect(tolerant.stderr).not.toContain('fast path');
  });
});
