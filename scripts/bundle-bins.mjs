// Bundles each tool's start-up into one file, dist/bin/csm-TOOL.js (esbuild, at build time;
// run after tsc). Node 20 resolves, reads and links every ES module of a start-up on its own:
// about 80 modules for csm-validate and csm-filter cost more than the code they run on an
// empty input (issue 16: start-up at most 2x `node -e 0`). The bundle is the same code as
// dist/ (built from it, not from src/), in one module; what a run loads on demand with
// `import()` (the query and SECL engines, the completion scripts, csm-rules' cache) goes into
// shared chunks beside it (dist/bin/chunk-*.js), loaded only when used.
//
// dist/bin/ is as deep as dist/cli/ and dist/io/, so the paths the code builds from
// `import.meta.url` (the worker scripts in dist/io/, schema/, package.json, the build-time
// validators, createRequire for ajv and re2js) point where they do from dist/. The --jobs
// workers run dist/io/*-worker.js as before.
//
// Of the packages, only the two every start-up loads are bundled: commander (a CommonJS
// package: seven modules through Node's CommonJS-to-ESM bridge) and chalk (MIT both; their
// licences are in node_modules/commander and node_modules/chalk, installed with the package,
// which keeps both as dependencies). The others (ajv, re2js, yaml) load only when a run needs
// them and stay imports of node_modules.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOOLS = ['validate', 'filter', 'schema', 'rules'];
const OUT = `${ROOT}dist/bin`;
const BUNDLED_PACKAGES = ['commander', 'chalk'];
const { dependencies } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED_PACKAGES.includes(name))
  .flatMap((name) => [name, `${name}/*`]);
// commander's require('node:events') etc. inside an ES module bundle: esbuild's shim calls the
// `require` in scope, this one (esbuild renames the modules' own `require` constants).
const banner = `// Built by scripts/bundle-bins.mjs from dist/ (bundles commander and chalk, MIT). Do not edit.
import { createRequire as __bundleCreateRequire } from 'node:module';
const require = __bundleCreateRequire(import.meta.url);`;

// Each entry is what bin/csm-TOOL.js did before: run the tool's main with the real process.
const entries = {
  name: 'tool-entries',
  setup(b) {
    b.onResolve({ filter: /^csm-tool:/ }, (args) => ({ path: args.path.slice('csm-tool:'.length), namespace: 'csm-tool' }));
    b.onLoad({ filter: /.*/, namespace: 'csm-tool' }, (args) => ({
      contents: `import { runBin } from './run.js';\nimport { main } from './${args.path}.js';\nawait runBin(main);\n`,
      resolveDir: `${ROOT}dist/cli`,
      loader: 'js',
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
// One build per tool: a tool's start-up is then one file; only what it imports on demand is
// in chunks (named by their content, so two tools' identical chunks are one file).
for (const tool of TOOLS) {
await build({
  entryPoints: [{ in: `csm-tool:${tool}`, out: `csm-${tool}` }],
  plugins: [entries],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  banner: { js: banner },
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
  legalComments: 'none',
});
}
