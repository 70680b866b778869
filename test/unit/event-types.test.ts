/**
 * src/types/event.ts is generated from the bundled schema and committed: it must
 * be exactly what scripts/gen-types.mjs gives for the schema today, so the two
 * cannot drift. (Regenerate with `npm run gen:types`.)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CsmEvent, CsmEventTypes } from '../../src/index.js';
import { ROOT } from '../helpers/run.js';

const script = join(ROOT, 'scripts/gen-types.mjs');
const gen = (args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8' });

describe('generated event types', () => {
  it('src/types/event.ts is up to date with schema/backend_linux.schema.json', () => {
    const r = gen(['--check']);
    expect(r.stderr + r.stdout).toContain('is up to date');
    expect(r.status).toBe(0);
  });

  it('--check fails, naming the fix, when the schema changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-gen-types-'));
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/backend_linux.schema.json'), 'utf8'));
    schema.$defs.ExitEvent.properties.signal = { type: 'string', description: 'Name of the signal' };
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
    copyFileSync(join(ROOT, 'src/types/event.ts'), join(dir, 'event.ts'));
    const args = ['--schema', join(dir, 'schema.json'), '--out', join(dir, 'event.ts')];
    const r = gen([...args, '--check']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/out of date .* run npm run gen:types/);
    expect(gen(args).status).toBe(0);
    expect(readFileSync(join(dir, 'event.ts'), 'utf8')).toMatch(/Name of the signal\s+\*\/\s+signal\?: string;/);
    expect(gen([...args, '--check']).status).toBe(0);
  });

  it('types each section of the event from its $defs entry, one named type per entry', () => {
    const source = readFileSync(join(ROOT, 'src/types/event.ts'), 'utf8');
    expect(source).not.toMatch(/\b(File|Variables|ProcessContext)\d\b/);
    expectTypeOf<CsmEvent['process']>().toEqualTypeOf<CsmEventTypes.ProcessContext | undefined>();
    expectTypeOf<CsmEvent['agent']['rule_id']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<CsmEvent['mount']>['mountpoint.path']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<NonNullable<CsmEvent['process']>['ancestors']>[number]>().toEqualTypeOf<CsmEventTypes.Process>();
  });
});
