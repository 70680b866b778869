/**
 * The package as a user gets it: `npm pack` (the files package.json ships), the
 * tarball installed into a fresh project with npm, then used from outside:
 * the ESM API imported from an .mjs file, a .ts file type-checked against the
 * shipped .d.ts (CsmEvent), and the bins run from node_modules/.bin.
 *
 * Needs the build in dist/ (`npm test` builds first) and the npm registry (or
 * npm's cache: the install prefers it) for the package's dependencies.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, EXAMPLES, ROOT } from '../helpers/run.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The environment without what `npm test` sets for its own scripts (a child npm would install into ROOT). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)/.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
  // The bins' `#!/usr/bin/env node` finds this node.
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  return env;
}

function sh(cmd: string, args: string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', input, timeout: 240_000, maxBuffer: 64 << 20 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`${what} failed (status ${r.status}, ${r.error?.message ?? ''}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

let project: string;
let packedFiles: string[];
let tarballSize: number;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'csm-package-'));
  // --ignore-scripts: pack the dist/ that `npm test` just built, without rebuilding it under the other tests.
  const packed = JSON.parse(ok(sh(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT), 'npm pack')) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  packedFiles = packed[0]!.files.map((f) => f.path);
  tarballSize = packed[0]!.size;
  const tarball = join(dir, packed[0]!.filename);

  project = join(dir, 'consumer');
  ok(sh('mkdir', ['-p', project], dir), 'mkdir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  ok(
    sh(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--prefix', project, tarball], project),
    'npm install <tarball>',
  );
}, 300_000);

describe('the packed package', () => {
  it('ships bin/, dist/ (with .d.ts), the schema and the README, and nothing else', () => {
    for (const f of [
      'package.json',
      'README.md',
      'bin/csm-validate.js',
      'bin/csm-filter.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/types/event.d.ts',
      'dist/cli/validate.js',
      'dist/bin/csm-validate.js',
      'dist/bin/csm-filter.js',
      'schema/backend_linux.schema.json',
      'LICENSE',
      'NOTICE',
    ]) {
      expect(packedFiles, f).toContain(f);
    }
    // man/: the pages package.json's "man" names (npm always packs those).
    const stray = packedFiles.filter((f) => !/^(bin|dist|schema|man)\//.test(f) && !['package.json', 'README.md', 'LICENSE', 'NOTICE'].includes(f));
    expect(stray).toEqual([]);
    expect(packedFiles.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(tarballSize).toBeLessThan(2 << 20);
  });

  it('imports as ESM from another project: validate an example event, compile a query, filter, project', () => {
    const line = readFileSync(EXAMPLES, 'utf8').split('\n')[0]!;
    writeFileSync(
      join(project, 'use.mjs'),
      `import { Readable } from 'node:stream';
import { createValidator, validateStream, filterStream, compileQuery, project, FilterError } from 'csm-ndjson';
const line = ${JSON.stringify(line)};
const event = JSON.parse(line);
const out = {};
out.issues = createValidator().validate(event).length;
for await (const r of validateStream(Readable.from([Buffer.from(line + '\\n{}\\n')]))) (out.statuses ??= []).push(r.status);
const q = compileQuery('process.executable.name == "sh" and evt.name == "exec"');
out.match = q.ok && q.match(event);
out.bad = compileQuery('process.uid ==').ok;
for await (const e of filterStream(${JSON.stringify(EXAMPLES)}, { kinds: 'chmod', fields: 'file.inode' })) out.inode = e.bytes.toString().includes('18446744073709551615');
out.project = project(event, ['evt.name']);
try { filterStream('x', { where: 'process.uid ==' }); } catch (e) { out.error = e instanceof FilterError && e.option; }
console.log(JSON.stringify(out));
`,
    );
    const r = sh(process.execPath, ['use.mjs'], project);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      issues: 0,
      statuses: ['valid', 'invalid'],
      match: true,
      bad: false,
      inode: true,
      project: { evt: { name: 'exec' } },
      error: 'where',
    });
  }, 60_000);

  it('type-checks a TypeScript consumer against the shipped .d.ts (CsmEvent, NodeNext)', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { type CsmEvent, type CsmEventTypes, type FilteredEvent, filterStream, validateStream, project } from 'csm-ndjson';

const event: CsmEvent = { agent: { rule_id: 'r' }, title: 't', process: { uid: 0, gid: 0, args: ['-c', 'id'] } };
const proc: CsmEvent['process'] = event.process;
const uid: number | undefined = proc?.uid;
const ancestor: CsmEventTypes.Process | undefined = proc?.ancestors?.[0];
const dotted: string | undefined = event.mount?.['mountpoint.path'];
// @ts-expect-error process.pid is a number
const badPid: CsmEvent['process'] = { uid: 0, gid: 0, pid: '1' };
// @ts-expect-error agent is required
const noAgent: CsmEvent = { title: 't' };
// @ts-expect-error no such section
const typo = event.proces;

export async function main(): Promise<void> {
  for await (const e of filterStream('events.ndjson', { kinds: ['exec'], where: 'process.credentials.uid == 0', fields: 'process.args' })) {
    const selected: FilteredEvent = e;
    const name: string | undefined = e.event.evt?.name;
    console.log(selected.line, name, e.projected, uid, ancestor, dotted, badPid, noAgent, typo);
  }
  for await (const r of validateStream('events.ndjson')) {
    if (r.status === 'valid') console.log(r.event.title.toUpperCase());
    else if (r.status === 'invalid') console.log(r.errors[0]?.instancePath, r.errors[0]?.column);
  }
  console.log(project(event, ['process.args']));
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          // @types/node from this repository, so the check needs nothing more from the network.
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    const r = sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('a type error in the consumer is reported (the check is real)', () => {
    writeFileSync(join(project, 'wrong.ts'), `import type { CsmEvent } from 'csm-ndjson';\nexport const e: CsmEvent['process'] = { uid: '0', gid: 0 };\n`);
    writeFileSync(
      join(project, 'tsconfig.wrong.json'),
      JSON.stringify({ extends: './tsconfig.json', files: ['wrong.ts'] }),
    );
    const r = sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.wrong.json'], project);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/wrong\.ts.*Type 'string' is not assignable to type 'number'/s);
  }, 120_000);

  it('runs the bins from node_modules/.bin', () => {
    const bin = (tool: string) => join(project, 'node_modules/.bin', tool);
    expect(existsSync(bin('csm-validate')) && existsSync(bin('csm-filter'))).toBe(true);
    const valid = sh(bin('csm-validate'), [EXAMPLES], project);
    expect([valid.status, valid.stderr]).toEqual([0, '']);
    expect(valid.stdout).toBe(readFileSync(EXAMPLES, 'utf8'));
    const invalid = sh(bin('csm-validate'), ['-q', CORPUS], project);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain("missing required key 'agent'");
    const filtered = sh(bin('csm-filter'), ['-k', 'chmod', '-f', 'file.inode', '--format', 'raw', EXAMPLES], project);
    expect([filtered.status, filtered.stdout]).toEqual([0, '18446744073709551615\n']);
    const version = sh(bin('csm-filter'), ['--version'], project);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 60_000);
});
