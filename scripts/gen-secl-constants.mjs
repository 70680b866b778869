#!/usr/bin/env node
/**
 * Generates src/secl/generated/constants-linux.ts: the SECL constants of the agent
 * (`seclConstants` in pkg/security/secl/model), read from the reference copy of
 * consts_common.go and consts_linux.go.
 *
 * - the tables are the `map[string]T{...}` literals that `initConstants()` registers
 *   into `seclConstants`, in the order of `initConstants()` (a later table wins a name);
 * - their values are Go constant expressions, evaluated here: literals, local constants
 *   (`const (...)` blocks with `iota`), conversions, `<< >> | & ^ + - *`;
 * - `syscall.X` and `unix.X` come from the C headers of the machine running this
 *   script (compiled and printed with `cc`), which is how Go's own tables are made; the
 *   committed output was generated on x86_64 Linux, i.e. the linux/amd64 values.
 *
 * Names that cannot be resolved are listed in the output header and left out.
 *
 * Usage: node scripts/gen-secl-constants.mjs [reference-dir]   (npm run gen:secl-constants)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** A path as the headers show it: relative to the repository, so a regeneration elsewhere is the same. */
const shown = (p) => relative(join(here, '..'), p);
const REF = process.argv[2] ?? fileURLToPath(new URL('../../shared/reference', import.meta.url));
const MODEL_DIR = 'datadog-agent/pkg/security/secl/model';
const FILES = ['consts_common.go', 'consts_linux.go'];
const OUT = join(here, '..', 'src', 'secl', 'generated', 'constants-linux.ts');

const sources = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(REF, MODEL_DIR, f), 'utf8')]));
const readme = readFileSync(join(REF, 'README.md'), 'utf8');
const upstream = (/at upstream ([^,\n]+)/.exec(readme) ?? [])[1]?.trim() ?? 'unknown';

function stripComment(line) {
  // No string in these files holds `//` or `/*`.
  const noBlock = line.replace(/\/\*.*?\*\//g, '');
  const i = noBlock.indexOf('//');
  return i < 0 ? noBlock : noBlock.slice(0, i);
}

// --- Go constants: name -> { expr, iota } -------------------------------------------
const goConsts = new Map();
for (const src of Object.values(sources)) {
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const single = /^const\s+(\w+)(?:\s+[\w.]+)?\s*=\s*(.+)$/.exec(stripComment(lines[i]).trim());
    if (single) {
      goConsts.set(single[1], { expr: single[2].trim(), iota: 0 });
      continue;
    }
    if (!/^\s*const \($/.test(lines[i])) continue;
    let iota = 0;
    let last = null;
    for (i++; i < lines.length && !/^\s*\)\s*$/.test(lines[i]); i++) {
      const line = stripComment(lines[i]).trim();
      if (line === '') continue;
      const m = /^(\w+)(?:\s+[\w.]+)?(?:\s*=\s*(.+))?$/.exec(line);
      if (!m) {
        iota++;
        continue;
      }
      if (m[2] !== undefined) last = m[2].trim();
      if (m[1] !== '_' && last !== null) goConsts.set(m[1], { expr: last, iota });
      iota++;
    }
  }
}

// --- map literals: name -> [[key, expr]] -------------------------------------------
const goMaps = new Map();
const stringSlices = new Map();
for (const src of Object.values(sources)) {
  const re = /(\w+)\s*=\s*map\[string\][\w.]+\{\n/g;
  let m;
  while ((m = re.exec(src)) !== null) {
    const entries = [];
    let depth = 1;
    let j = m.index + m[0].length;
    const start = j;
    for (; j < src.length && depth > 0; j++) {
      if (src[j] === '{') depth++;
      else if (src[j] === '}') depth--;
    }
    for (const raw of src.slice(start, j - 1).split('\n')) {
      const e = /^\s*"([^"]+)":\s*(.+?),?\s*$/.exec(stripComment(raw));
      if (e) entries.push([e[1], e[2].replace(/,$/, '').trim()]);
    }
    goMaps.set(m[1], entries);
  }
  const sre = /(\w+)\s*=\s*\[\]string\{([^}]*)\}/g;
  while ((m = sre.exec(src)) !== null) {
    stringSlices.set(m[1], [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]));
  }
}

// --- which maps reach seclConstants, in initConstants() order ------------------------
const all = Object.values(sources).join('\n');
const initBody = /func initConstants\(\) \{\n([\s\S]*?)\n\}/.exec(all)[1];
const initCalls = [...initBody.matchAll(/^\s*([\w.]+)\(\)/gm)].map((x) => x[1]);
const initOrder = initCalls.filter((c) => !c.includes('.'));
const registered = []; // { table, init }
const direct = []; // { name, expr | slice }
const notes = initCalls.filter((c) => c.includes('.')).map((c) => `${c}() is in another package: its constants are missing`);
for (const init of initOrder) {
  const body = new RegExp(`func ${init}\\(\\) \\{\\n([\\s\\S]*?)\\n\\}`).exec(all)?.[1];
  if (body === undefined) {
    notes.push(`${init}() is not in the reference files: its constants are missing`);
    continue;
  }
  for (const loop of body.matchAll(/for k, v := range (\w+) \{\n([\s\S]*?)\n\t\}/g)) {
    if (/seclConstants\[k\]/.test(loop[2])) registered.push({ table: loop[1], init });
    else if (/(\w+)\[k\] = v/.test(loop[2])) {
      const into = /(\w+)\[k\] = v/.exec(loop[2])[1];
      if (!goMaps.has(loop[1])) notes.push(`${loop[1]} (merged into ${into} by ${init}) is not in the reference files (arch-specific): its constants are missing`);
    }
  }
  for (const d of body.matchAll(/seclConstants\["(\w+)"\] = &eval\.(\w+)\{(?:Value|Values): ([^}]+)\}/g)) {
    direct.push({ name: d[1], kind: d[2], expr: d[3].trim(), init });
  }
}

// --- expression evaluation ---------------------------------------------------------
/**
 * pkg/security/secl/model/sharedconsts is not in the reference copy; its four values,
 * as defined there (DataDog/datadog-agent): `AuditUIDUnset = math.MaxUint32`, and
 * `ExitExited ExitCause = iota`, `ExitCoreDumped`, `ExitSignaled`.
 */
const SHAREDCONSTS = { AuditUIDUnset: 4294967295n, ExitExited: 0n, ExitCoreDumped: 1n, ExitSignaled: 2n };
const external = new Set();
function tokenize(s) {
  const out = [];
  const re = /\s*(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*|[A-Za-z_][\w.]*|<<|>>|&\^|[-+*|&^()~])/y;
  let m;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    m = re.exec(s);
    if (!m) throw new Error(`cannot read ${JSON.stringify(s)} at ${pos}`);
    out.push(m[1]);
    pos = re.lastIndex;
    while (pos < s.length && s[pos] === ' ') pos++;
  }
  return out;
}

class Unresolved extends Error {}

function evaluate(expr, iota, resolveExternal, seen = new Set()) {
  const toks = tokenize(expr);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  function primary() {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end in ${expr}`);
    if (t === '(') {
      const v = binary(0);
      if (next() !== ')') throw new Error(`missing ) in ${expr}`);
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '^') return ~primary();
    if (/^[0-9]/.test(t)) {
      const c = t.replace(/_/g, '');
      if (/^0[0-7]+$/.test(c)) return BigInt('0o' + c.slice(1));
      return BigInt(c);
    }
    if (peek() === '(') {
      // A conversion: int(x), uint32(x), L3Protocol(x)...
      next();
      const v = binary(0);
      if (next() !== ')') throw new Error(`missing ) in ${expr}`);
      return v;
    }
    if (t === 'iota') return BigInt(iota);
    if (t.includes('.')) {
      const [pkg, name] = t.split('.');
      if (pkg === 'syscall' || pkg === 'unix') {
        external.add(name);
        const v = resolveExternal(name);
        if (v === undefined) throw new Unresolved(t);
        return v;
      }
      if (pkg === 'sharedconsts' && name in SHAREDCONSTS) return SHAREDCONSTS[name];
      throw new Unresolved(t);
    }
    const c = goConsts.get(t);
    if (c === undefined || seen.has(t)) throw new Unresolved(t);
    return evaluate(c.expr, c.iota, resolveExternal, new Set([...seen, t]));
  }
  const LEVELS = [['|', '^', '+', '-'], ['*', '<<', '>>', '&', '&^']];
  function binary(level) {
    if (level === LEVELS.length) return primary();
    let v = binary(level + 1);
    while (LEVELS[level].includes(peek())) {
      const op = next();
      const r = binary(level + 1);
      switch (op) {
        case '|': v = v | r; break;
        case '^': v = v ^ r; break;
        case '+': v = v + r; break;
        case '-': v = v - r; break;
        case '*': v = v * r; break;
        case '<<': v = v << r; break;
        case '>>': v = v >> r; break;
        case '&': v = v & r; break;
        case '&^': v = v & ~r; break;
      }
    }
    return v;
  }
  const v = binary(0);
  if (i !== toks.length) throw new Error(`trailing tokens in ${expr}`);
  return v;
}

// First pass: collect the syscall/unix names.
const probe = () => 0n;
for (const { table } of registered) {
  for (const [, expr] of goMaps.get(table) ?? []) {
    try {
      evaluate(expr, 0, probe);
    } catch (e) {
      if (!(e instanceof Unresolved)) throw e;
    }
  }
}
for (const d of direct) {
  try {
    evaluate(d.expr, 0, probe);
  } catch (e) {
    if (!(e instanceof Unresolved)) throw e;
  }
}

// Resolve them with the C compiler.
const HEADERS = [
  'errno.h', 'fcntl.h', 'sys/stat.h', 'signal.h', 'sys/mman.h', 'sys/socket.h', 'netinet/in.h',
  'netinet/tcp.h', 'sys/resource.h', 'sys/prctl.h', 'linux/capability.h', 'linux/ptrace.h', 'stdio.h',
];
const cValues = new Map();
let ccVersion = 'unknown';
let machine = 'unknown';
{
  const dir = mkdtempSync(join(tmpdir(), 'secl-consts-'));
  try {
    ccVersion = execFileSync('cc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    machine = execFileSync('cc', ['-dumpmachine'], { encoding: 'utf8' }).trim();
    let names = [...external].sort();
    for (let attempt = 0; attempt < 5; attempt++) {
      const c = [
        '#define _GNU_SOURCE',
        ...HEADERS.map((h) => `#include <${h}>`),
        'int main(void) {',
        ...names.map((n) => `  printf("%s %lld\\n", "${n}", (long long)(${n}));`),
        '  return 0;',
        '}',
      ].join('\n');
      writeFileSync(join(dir, 'c.c'), c);
      try {
        execFileSync('cc', ['-o', join(dir, 'c'), join(dir, 'c.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (e) {
        const err = String(e.stderr);
        const bad = new Set([...err.matchAll(/[‘'](\w+)[’'] undeclared/g)].map((x) => x[1]));
        if (bad.size === 0) throw new Error(`cc failed:\n${err.slice(0, 2000)}`);
        names = names.filter((n) => !bad.has(n));
        continue;
      }
      for (const line of execFileSync(join(dir, 'c'), { encoding: 'utf8' }).trim().split('\n')) {
        const [n, v] = line.split(' ');
        cValues.set(n, BigInt(v));
      }
      break;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- build the tables --------------------------------------------------------------
const tables = [];
const unresolved = new Map(); // name -> reason
const flat = new Map();
for (const { table } of registered) {
  const entries = goMaps.get(table);
  if (entries === undefined) {
    notes.push(`${table} is registered but not defined in the reference files`);
    continue;
  }
  const values = [];
  for (const [key, expr] of entries) {
    try {
      const v = evaluate(expr, 0, (n) => cValues.get(n));
      values.push([key, v]);
      flat.set(key, v);
    } catch (e) {
      if (!(e instanceof Unresolved)) throw e;
      unresolved.set(key, `${table}: ${expr}`);
    }
  }
  tables.push({ table, values });
}
const stringArrays = new Map();
for (const d of direct) {
  if (d.kind === 'StringArrayEvaluator') {
    const slice = stringSlices.get(d.expr);
    if (slice === undefined) unresolved.set(d.name, `${d.init}: ${d.expr} is not in the reference files`);
    else stringArrays.set(d.name, slice);
    continue;
  }
  try {
    flat.set(d.name, evaluate(d.expr, 0, (n) => cValues.get(n)));
  } catch (e) {
    if (!(e instanceof Unresolved)) throw e;
    unresolved.set(d.name, `${d.init}: ${d.expr}`);
  }
}

const q = (s) => JSON.stringify(s);
const lines = [];
lines.push('// Code generated by scripts/gen-secl-constants.mjs - DO NOT EDIT.');
lines.push('//');
lines.push('// Provenance: DataDog/datadog-agent (Apache-2.0), upstream ' + upstream + ',');
lines.push(`// ${FILES.map((f) => `${shown(REF)}/${MODEL_DIR}/${f}`).join('\n// ')}`);
lines.push('// (see ../shared/reference/README.md): the tables initConstants() registers into');
lines.push('// seclConstants, in its order. syscall/unix values from the C headers of the generating');
lines.push(`// machine: ${machine}, ${ccVersion}. sharedconsts (not in the reference copy):`);
lines.push('// AuditUIDUnset = math.MaxUint32; ExitExited, ExitCoreDumped, ExitSignaled = iota 0, 1, 2.');
if (notes.length > 0 || unresolved.size > 0) {
  lines.push('//');
  lines.push('// Missing:');
  for (const n of notes) lines.push(`// - ${n}`);
  for (const [k, why] of [...unresolved].sort()) lines.push(`// - ${k} (${why})`);
}
lines.push('');
lines.push('/** Each registered Go table: constant name -> value (decimal text, 64-bit). */');
lines.push('export const LINUX_CONSTANT_TABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {');
for (const { table, values } of tables) {
  lines.push(`  ${table}: {`);
  for (const [k, v] of values) lines.push(`    ${q(k)}: ${q(v.toString())},`);
  lines.push('  },');
}
lines.push('};');
lines.push('');
lines.push('/** Every integer constant, as seclConstants holds it (a later table wins a name). */');
lines.push('export const LINUX_INT_CONSTANTS: Readonly<Record<string, string>> = {');
for (const [k, v] of [...flat].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`  ${q(k)}: ${q(v.toString())},`);
lines.push('};');
lines.push('');
lines.push('/** String-list constants. */');
lines.push('export const LINUX_STRING_ARRAY_CONSTANTS: Readonly<Record<string, readonly string[]>> = {');
for (const [k, v] of stringArrays) lines.push(`  ${q(k)}: [${v.map(q).join(', ')}],`);
lines.push('};');
lines.push('');
writeFileSync(OUT, lines.join('\n'));
console.log(`wrote ${OUT}: ${flat.size} integer constants in ${tables.length} tables, ${stringArrays.size} string lists, ${unresolved.size} unresolved`);
