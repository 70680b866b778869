#!/usr/bin/env node
/**
 * Generates src/secl/generated/fields-linux.ts: every Linux SECL field, its event type, its
 * SECL type, whether it is an array or an iterator, and how to read it from the BACKEND JSON
 * (the event as the agent serializes it), from the agent's sources in the reference dir:
 *
 * - docs/cloud-workload-security/secl_linux.json: the fields, their event types, SECL types
 *   and constants tables;
 * - pkg/security/secl/model/model.go, model_unix.go: the Go type behind each `SECLDoc[...]`
 *   (a `[]T` field is an array) and the iterators (`iterator:` tags: ancestors, flows);
 * - src/secl/generated/constants-linux.ts (gen:secl-constants): the Go constants table
 *   matching each doc table by names (`Open flags` -> openFlagsConstants), for derivations;
 * - pkg/security/serializers/serializers_linux.go, serializers_base.go: the serializer
 *   structs and their `json:"..."` tags, from `EventSerializer` down (the JSON tree the
 *   agent writes). Where a SECL context sits in that tree (`open.file` is the top-level
 *   `file`, `exec` is `process`...) is read from `NewEventSerializer` and written by hand
 *   in CONTEXTS below; SECL names that differ from the JSON key are in LEAF_OVERRIDES.
 *
 * A mapping is `direct` (a JSON path, `[]` marks an array traversed element-wise),
 * `derived` (a named derivation over a JSON path: names -> bitmask, time -> ns, join...),
 * or `unavailable` with the reason. A path written by the serializers but absent from the
 * backend schema (seed/backend_linux.schema.json) is `unavailable` too, with that reason.
 *
 * Usage: node scripts/gen-secl-fields.mjs [reference-dir] [schema]   (npm run gen:secl-fields)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** A path as the headers show it: relative to the repository, so a regeneration elsewhere is the same. */
const shown = (p) => relative(join(here, '..'), p);
const REF = process.argv[2] ?? fileURLToPath(new URL('../../shared/reference', import.meta.url));
const SCHEMA = process.argv[3] ?? fileURLToPath(new URL('../../shared/seed/backend_linux.schema.json', import.meta.url));
const AGENT = join(REF, 'datadog-agent');
const DOC = 'docs/cloud-workload-security/secl_linux.json';
const MODEL = ['pkg/security/secl/model/model.go', 'pkg/security/secl/model/model_unix.go'];
const SERIALIZERS = ['pkg/security/serializers/serializers_base.go', 'pkg/security/serializers/serializers_linux.go'];
const OUT = join(here, '..', 'src', 'secl', 'generated', 'fields-linux.ts');

const read = (f) => readFileSync(join(AGENT, f), 'utf8');

// ---------------------------------------------------------------------------------------
// Hand-written: where each SECL context is serialized. Source: serializers_linux.go,
// NewEventSerializer (the switch on the event type), newProcessContextSerializer (parent,
// ancestors), newPTraceEventSerializer (tracee), newSignalEventSerializer (target).
// [SECL prefix, JSON prefix, serializer struct]; the first matching prefix wins, and a
// prefix listed twice is tried in order (exit.cause is in ExitEvent, exit.pid in process).

const FILE_EVENTS = ['chmod', 'chown', 'link', 'mkdir', 'open', 'rename', 'rmdir', 'unlink', 'utimes', 'setxattr', 'removexattr', 'chdir', 'load_module', 'mmap', 'splice', 'selinux'];
const SYSCALL_ARGS = ['chmod', 'chown', 'chdir', 'exec', 'open', 'unlink', 'link', 'rename', 'utimes', 'mount', 'mkdir', 'rmdir', 'setsockopt', 'prctl'];
const PROCESS_TREES = [
  ['process', 'process'],
  ['ptrace.tracee', 'ptrace.tracee'], // PTraceEventSerializer.Tracee: a ProcessContextSerializer
  ['signal.target', 'signal.target'], // SignalEventSerializer.Target: a ProcessContextSerializer
];
const CONTEXTS = [
  ...PROCESS_TREES.flatMap(([secl, json]) => [
    [`${secl}.ancestors`, `${json}.ancestors[]`, 'ProcessSerializer'],
    [`${secl}.parent`, `${json}.parent`, 'ProcessSerializer'],
    [secl, json, 'ProcessContextSerializer'],
  ]),
  // ExecEventType: FileEventSerializer from ProcessContext.Process.FileEvent; the rest of
  // the exec event is the process context.
  ['exec.file', 'file', 'FileEventSerializer'],
  ['exec.syscall', 'syscall.exec', 'SyscallArgsSerializer'],
  ['exec', 'process', 'ProcessSerializer'],
  ['exit', 'exit', 'ExitEventSerializer'],
  ['exit', 'process', 'ProcessSerializer'],
  ...SYSCALL_ARGS.map((e) => [`${e}.syscall`, `syscall.${e}`, 'SyscallArgsSerializer']),
  ...FILE_EVENTS.map((e) => [`${e}.file`, 'file', 'FileEventSerializer']),
  // Setuid/Setgid/CapsetEventType: ProcessContextSerializer.Credentials.Destination.
  ['setuid', 'process.credentials.destination', 'SetuidSerializer'],
  ['setgid', 'process.credentials.destination', 'SetgidSerializer'],
  ['capset', 'process.credentials.destination', 'CapsetSerializer'],
  ['load_module', 'module', 'ModuleEventSerializer'],
  ['unload_module', 'module', 'ModuleEventSerializer'],
  // open.flags, unlink.flags: NewEventSerializer writes them into the event's `file`
  // (s.FileSerializer.Flags = model.OpenFlags(...) / model.UnlinkFlags(...)).
  ['open', 'file', 'FileEventSerializer'],
  ['unlink', 'file', 'FileEventSerializer'],
  ['event', 'evt', 'EventContextSerializer'], // BaseEventSerializer: `evt` (async...)
  ['container', 'container', 'ContainerContextSerializer'],
  ['cgroup', 'cgroup', 'CGroupContextSerializer'],
  ['network', 'network', 'NetworkContextSerializer'],
  ['packet', 'packet', 'RawPacketSerializer'],
  ...['selinux', 'bpf', 'mmap', 'mprotect', 'ptrace', 'signal', 'splice', 'dns', 'imds', 'accept', 'bind', 'connect', 'mount', 'sysctl', 'setsockopt', 'cgroup_write', 'capabilities', 'prctl', 'network_flow_monitor'].map(
    (e) => [e, e, null],
  ),
];

// Hand-written: SECL names that differ from the serializer's JSON key, per serializer
// struct. A string is a renamed JSON sub-path; an object a derivation or an unavailability.
const LEAF_OVERRIDES = {
  // newProcessSerializer: executable, interpreter, tty, is_exec_child, args (argv
  // without argv0: ResolveProcessArgvScrubbed), envs (ResolveProcessEnvs: KEY=VALUE).
  ProcessSerializer: {
    file: 'executable',
    'interpreter.file': 'interpreter',
    tty_name: 'tty',
    // model_unix.go: "IsThread is the negation of IsExec"; `is_exec_child` is IsExecExec.
    is_exec: { derived: 'not', path: 'is_thread' },
    // args: ResolveProcessArgvScrubbed (the agent scrubs secrets in the backend copy).
    argv: 'args',
    // envs: ResolveProcessEnvs, the names only (SECL `envs`); the values (`envp`) are not written.
    envp: { unavailable: 'only the variable names are written (envs: ResolveProcessEnvs)' },
    args: { derived: 'join-args', path: 'args' },
    args_flags: { derived: 'args-flags', path: 'args' },
    args_options: { derived: 'args-options', path: 'args' },
    // model_unix.go Process.CreatedAt: "TODO: merge with ExecTime".
    created_at: { derived: 'time', path: 'exec_time' },
    // newCredentialsSerializer: the credentials sub-object.
    '*': 'credentials',
  },
  // newFileSerializer: package_name..., modes; `rights` is the mode's permission bits.
  FileSerializer: {
    'package.name': 'package_name',
    'package.version': 'package_version',
    rights: { derived: 'rights', path: 'mode' },
  },
  // newDNSEventSerializer / DNSQuestionSerializer
  DNSQuestionSerializer: { length: 'size' },
  // BPFEventSerializer: the agent's `bpf.prog` is the JSON `program`.
  BPFEventSerializer: { prog: 'program' },
  BPFProgramSerializer: { type: 'program_type' },
  BPFMapSerializer: { type: 'map_type' },
  // newLoadModuleEventSerializer: argv only; SECL `args` is argv joined.
  ModuleEventSerializer: { args: { derived: 'join-args', path: 'argv' } },
  // newSyscallArgsSerializer: link/rename (Str1, Str2) write path and destination_path.
  SyscallArgsSerializer: { 'destination.path': 'destination_path' },
};

// Whole-field overrides (read before the contexts).
const RETVAL = {
  unavailable: 'only the outcome is written (evt.outcome: serializeOutcome(retval), success/refused/error)',
};
const FIELD_OVERRIDES = {
  // BaseEventSerializer.Date: the event's time.
  'event.timestamp': { derived: 'time', path: ['date'] },
  // newSyscallArgsSerializer, FileMountEventType: Str1 (source) is `path`, Str2 (mount point) `destination_path`.
  'mount.syscall.source.path': { direct: ['syscall', 'mount', 'path'] },
  'mount.syscall.mountpoint.path': { direct: ['syscall', 'mount', 'destination_path'] },
  // NewEventSerializer, FileSetXAttr/RemoveXAttrEventType: the attribute is in file.destination.
  'setxattr.file.destination.name': { direct: ['file', 'destination', 'attribute_name'] },
  'setxattr.file.destination.namespace': { direct: ['file', 'destination', 'attribute_namespace'] },
  'removexattr.file.destination.name': { direct: ['file', 'destination', 'attribute_name'] },
  'removexattr.file.destination.namespace': { direct: ['file', 'destination', 'attribute_namespace'] },
};

// ---------------------------------------------------------------------------------------
// Serializer structs: struct name -> { key -> { type, array, struct } }, with embedded
// structs inlined (no json name) or nested (a json name).

function parseStructs(src) {
  const structs = new Map();
  for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields = [];
    for (const raw of m[2].split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (line === '') continue;
      const tag = /`json:"([^"]*)"`/.exec(line);
      const name = tag ? tag[1].split(',')[0] : undefined;
      if (name === '-') continue;
      const parts = line.replace(/`.*`/, '').trim().split(/\s+/);
      if (parts.length === 1) fields.push({ embedded: true, key: name || undefined, goType: parts[0] });
      else if (name !== undefined) fields.push({ key: name, goType: parts[1] });
    }
    structs.set(m[1], fields);
  }
  return structs;
}

const structs = new Map();
for (const f of SERIALIZERS) for (const [k, v] of parseStructs(read(f))) structs.set(k, v);

/** `[]*FileSerializer` -> { base: 'FileSerializer', array: true }. */
function goTypeInfo(goType) {
  const array = /^\*?\[\]/.test(goType);
  const base = goType.replace(/^[*[\]]+/, '');
  return { array, base, isStruct: structs.has(base) };
}

/** The JSON keys of a serializer struct, embedded ones inlined. */
function keysOf(name, seen = new Set()) {
  const out = new Map();
  if (seen.has(name)) return out;
  seen.add(name);
  for (const f of structs.get(name) ?? []) {
    const t = goTypeInfo(f.goType);
    if (f.embedded && f.key === undefined) {
      for (const [k, v] of keysOf(t.base, seen)) if (!out.has(k)) out.set(k, v);
    } else {
      out.set(f.key, t);
    }
  }
  return out;
}

/** LEAF_OVERRIDES of a struct and of the structs it inlines. */
function overridesOf(name) {
  let out = { ...(LEAF_OVERRIDES[name] ?? {}) };
  for (const f of structs.get(name) ?? []) {
    if (f.embedded && f.key === undefined) out = { ...overridesOf(goTypeInfo(f.goType).base), ...out };
  }
  return out;
}

/** The top-level serializer for a JSON key of `EventSerializer`. */
function topStruct(key) {
  const t = keysOf('EventSerializer').get(key);
  return t?.isStruct ? t.base : undefined;
}

// ---------------------------------------------------------------------------------------
// Backend schema: does a JSON path (segments; `[]` for each element of an array) exist?
// A node that constrains nothing (`ProcessCredentials.destination`: `interface{}` in the
// serializer, only a description in the schema) accepts any sub-path.

const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
function schemaNode(node) {
  let n = node;
  for (let i = 0; i < 10 && n && n.$ref; i++) n = schema.$defs[n.$ref.replace('#/$defs/', '')];
  return n;
}
const isOpen = (n) => n.type === undefined && n.properties === undefined && n.items === undefined && n.$ref === undefined;
function schemaHas(path) {
  let n = schema;
  for (const seg of path) {
    const node = schemaNode(n);
    if (node === undefined) return false;
    if (isOpen(node) && n !== schema) return true;
    n = seg === '[]' ? node.items : node.properties?.[seg];
    if (n === undefined) return false;
  }
  return true;
}

/** `process.ancestors[]` -> ['process', 'ancestors', '[]']. */
const segs = (dotted) => dotted.split('.').flatMap((k) => (k.endsWith('[]') ? [k.slice(0, -2), '[]'] : [k]));

// ---------------------------------------------------------------------------------------
// SECL fields: secl_linux.json, and the model's Go types (arrays).

const doc = JSON.parse(read(DOC));
const propDoc = new Map(doc.properties_doc.map((p) => [p.link, p]));
const modelTypes = [];
for (const f of MODEL) {
  for (const line of read(f).split('\n')) {
    const m = /^\s*\w+\s+(\S+)\s+`field:"[^`]*`.*SECLDoc\[/.exec(line);
    if (!m) continue;
    for (const d of line.matchAll(/SECLDoc\[([^\]]+)\] Definition:`([^`]*)`/g)) modelTypes.push({ key: d[1], def: d[2], goType: m[1] });
  }
}

// Iterator fields: the model's `field:"ancestors,iterator:..."` (ancestors, flows).
const ITERATORS = [...new Set(MODEL.flatMap((f) => [...read(f).matchAll(/field:"(\w+),iterator:/g)].map((m) => m[1])))];
const ITERATOR_FIELD = new RegExp(`(^|\\.)(${ITERATORS.join('|')})\\.`);
const endsWithIterator = (name) => ITERATORS.some((it) => name.endsWith(`.${it}`));

function isModelArray(name, def) {
  const base = name.endsWith('.length') ? name.slice(0, -'.length'.length) : name;
  return modelTypes.some((t) => t.def === def && (base === t.key || base.endsWith('.' + t.key)) && t.goType.startsWith('[]'));
}

const SECL_TYPES = { string: 'string', int: 'int', bool: 'bool', 'IP/CIDR': 'ip' };

/** Resolves `rest` (a SECL sub-name) inside serializer `struct` at JSON path `prefix`. */
function resolveIn(struct, prefix, rest) {
  const ov = overridesOf(struct);
  const keys = keysOf(struct);
  // Longest SECL prefix with an override or a JSON key.
  const parts = rest.split('.');
  for (let n = parts.length; n >= 1; n--) {
    const head = parts.slice(0, n).join('.');
    const tail = parts.slice(n).join('.');
    const o = ov[head];
    if (typeof o === 'object' && o.unavailable !== undefined) return tail === '' ? o : undefined;
    if (typeof o === 'object') return tail === '' ? { ...o, path: [...prefix, o.path], goType: keys.get(o.path) } : undefined;
    const key = typeof o === 'string' ? o : head;
    const t = keys.get(key);
    if (t === undefined) continue;
    const path = [...prefix, key, ...(t.array && t.isStruct ? ['[]'] : [])];
    if (tail === '') return { path, goType: t };
    if (t.isStruct) return resolveIn(t.base, path, tail);
  }
  const inner = ov['*'];
  if (typeof inner === 'string' && keys.get(inner)?.isStruct) return resolveIn(keys.get(inner).base, [...prefix, inner], rest);
  return undefined;
}

/** The JSON array of an iterator (`process.ancestors`, `network_flow_monitor.flows`). */
function iteratorPath(base) {
  const ctx = CONTEXTS.find(([secl]) => secl === base);
  if (ctx !== undefined) return segs(ctx[1]).filter((k) => k !== '[]');
  for (const [secl, json, struct] of CONTEXTS) {
    if (!base.startsWith(secl + '.')) continue;
    const s = struct ?? topStruct(json);
    const r = s === undefined ? undefined : resolveIn(s, segs(json), base.slice(secl.length + 1));
    if (r !== undefined) return r.path.filter((k) => k !== '[]');
  }
  return undefined;
}

/** `X.length`: the count of an iterator, or the length of a string field. */
function mapLength(name) {
  const base = name.slice(0, -'.length'.length);
  if (endsWithIterator(base)) {
    const path = iteratorPath(base);
    if (path === undefined) return { kind: 'unavailable', reason: 'the agent does not serialize this event type (no case in NewEventSerializer)' };
    return { kind: 'derived', derivation: 'count', path };
  }
  const m = mapField(base, 'string', '');
  if (m.kind === 'unavailable') return m;
  return { kind: 'derived', derivation: 'length', path: m.path, of: m.kind === 'derived' ? m.derivation : undefined };
}

function mapField(name, seclType, constants) {
  const fo = FIELD_OVERRIDES[name];
  if (fo?.direct) return { kind: 'direct', path: fo.direct };
  if (fo) return { kind: 'derived', derivation: fo.derived, path: fo.path };
  if (name.endsWith('.retval')) return { kind: 'unavailable', reason: RETVAL.unavailable };
  const base = name.slice(0, -'.length'.length);
  if (name.endsWith('.length') && (allNames.has(base) || endsWithIterator(base))) return mapLength(name);
  let matched = false;
  for (const [secl, json, struct] of CONTEXTS) {
    if (name !== secl && !name.startsWith(secl + '.')) continue;
    matched = true;
    const s = struct ?? topStruct(json);
    if (s === undefined) return { kind: 'unavailable', reason: `no '${json}' object in the agent's EventSerializer` };
    const r = name === secl ? undefined : resolveIn(s, segs(json), name.slice(secl.length + 1));
    if (r !== undefined) return classify(r, seclType, constants);
  }
  if (!matched) return { kind: 'unavailable', reason: 'the agent does not serialize this event type (no case in NewEventSerializer)' };
  return { kind: 'unavailable', reason: 'not written to the backend event' };
}

/** direct, or derived when the JSON value is not the SECL value (names, times). */
function classify(r, seclType, constants) {
  if (r.unavailable !== undefined) return { kind: 'unavailable', reason: r.unavailable };
  if (r.derived !== undefined) return { kind: 'derived', derivation: r.derived, path: r.path };
  const g = r.goType;
  const derived = (derivation, table) => ({ kind: 'derived', derivation, path: r.path, table: table || undefined });
  if (seclType === 'int' && g?.base === 'utils.EasyjsonTime') return derived('time');
  if (seclType === 'int' && g?.base === 'string' && g.array) return derived('flags', constants);
  if (seclType === 'int' && g?.base === 'string') return derived('enum', constants);
  if (seclType === 'bool' && g?.base === 'string') return derived('bool-string');
  return { kind: 'direct', path: r.path };
}

// ---------------------------------------------------------------------------------------
// Constants tables: the doc's table (`Open flags`) -> the Go table of
// src/secl/generated/constants-linux.ts (`openFlagsConstants`), the one sharing most names.

const CONSTANTS_TS = join(here, '..', 'src', 'secl', 'generated', 'constants-linux.ts');
const goTables = new Map();
{
  const text = readFileSync(CONSTANTS_TS, 'utf8');
  const body = text.slice(text.indexOf('LINUX_CONSTANT_TABLES'), text.indexOf('LINUX_INT_CONSTANTS'));
  for (const m of body.matchAll(/^  (\w+): \{\n([\s\S]*?)^  \},?$/gm)) {
    goTables.set(m[1], new Set([...m[2].matchAll(/^\s+"([^"]+)":/gm)].map((x) => x[1])));
  }
}
// Hand-written: fields whose doc names no constants table. exit.cause: model_unix.go
// ExitEvent.Cause "(one of EXITED, SIGNALED, COREDUMPED)", consts_linux.go exitCauseConstants.
// bind/connect/accept.addr.family: IPPortFamilySerializer writes the AF_* name
// (addressFamilyConstants).
const TABLE_OVERRIDES = {
  'exit.cause': 'exitCauseConstants',
  'bind.addr.family': 'addressFamilyConstants',
  'connect.addr.family': 'addressFamilyConstants',
  'accept.addr.family': 'addressFamilyConstants',
};

function goTableFor(docName) {
  const doc = (JSON.parse(read(DOC)).constants ?? []).find((c) => c.name === docName);
  if (doc === undefined) return undefined;
  const names = new Set(doc.all.map((c) => c.name));
  let best;
  let bestScore = 0;
  for (const [name, keys] of goTables) {
    let common = 0;
    for (const k of names) if (keys.has(k)) common++;
    const score = common / (names.size + keys.size - common);
    if (score > bestScore) [best, bestScore] = [name, score];
  }
  return bestScore >= 0.5 ? best : undefined;
}

// ---------------------------------------------------------------------------------------
// Build and write.

const allNames = new Set(doc.event_types.flatMap((et) => et.properties.map((p) => p.name)));
const fields = new Map();
for (const et of doc.event_types) {
  for (const p of et.properties) {
    const d = propDoc.get(p.property_doc_link);
    const type = SECL_TYPES[d?.type] ?? 'string';
    const prev = fields.get(p.name);
    if (prev) {
      if (et.name !== '*' && !prev.events.includes(et.name)) prev.events.push(et.name);
      continue;
    }
    const iterator = ITERATOR_FIELD.test(p.name) && !(p.name.endsWith('.length') && endsWithIterator(p.name.slice(0, -'.length'.length)));
    const array = isModelArray(p.name, d?.definition ?? '');
    let map = mapField(p.name, type, d?.constants ?? '');
    if (map.kind === 'derived' && (map.derivation === 'flags' || map.derivation === 'enum')) {
      const table = TABLE_OVERRIDES[p.name] ?? goTableFor(d?.constants ?? '');
      map = { ...map, table, docTable: d?.constants || undefined };
    }
    // An array of names for an array of integers (bpf.prog.helpers): each name -> its value.
    if (array && map.kind === 'derived' && map.derivation === 'flags') map = { ...map, derivation: 'enum' };
    if (map.kind !== 'unavailable' && !schemaHas(map.path)) {
      map = { kind: 'unavailable', reason: 'not in the backend schema (written by the serializers)', serializerPath: map.path };
    }
    fields.set(p.name, { events: et.name === '*' ? [] : [et.name], type, iterator, array, map });
  }
}

const readme = readFileSync(join(REF, 'README.md'), 'utf8');
const upstream = (/at upstream ([^,\n]+)/.exec(readme) ?? [])[1]?.trim() ?? 'unknown';
const counts = { direct: 0, derived: 0, unavailable: 0 };
const rows = [];
for (const [name, f] of [...fields].sort(([a], [b]) => (a < b ? -1 : 1))) {
  counts[f.map.kind]++;
  const spec = { type: f.type };
  if (f.events.length === 1) spec.event = f.events[0];
  else if (f.events.length > 1) spec.event = f.events;
  if (f.iterator) spec.iterator = true;
  if (f.array) spec.array = true;
  const m = Object.fromEntries(Object.entries(f.map).filter(([, v]) => v !== undefined));
  spec.map = m;
  rows.push(`  ${JSON.stringify(name)}: ${JSON.stringify(spec)},`);
}

const lines = [
  '// Code generated by scripts/gen-secl-fields.mjs - DO NOT EDIT.',
  '//',
  `// Provenance: DataDog/datadog-agent (Apache-2.0), upstream ${upstream}: ${shown(REF)}/datadog-agent/`,
  `// ${DOC} (fields, types, events), ${MODEL.join(', ')} (arrays),`,
  `// ${SERIALIZERS.join(', ')} (JSON paths); checked against ${shown(SCHEMA)}.`,
  `// ${fields.size} fields: ${counts.direct} direct, ${counts.derived} derived, ${counts.unavailable} unavailable.`,
  '',
  "import type { SeclFieldSpec } from '../fields.js';",
  '',
  '/** Linux SECL field -> type, event, array/iterator, and how to read it from the backend JSON. */',
  'export const SECL_FIELDS_LINUX: Readonly<Record<string, SeclFieldSpec>> = {',
  ...rows,
  '};',
  '',
];
writeFileSync(OUT, lines.join('\n'));
console.log(`wrote ${OUT}: ${fields.size} fields (${counts.direct} direct, ${counts.derived} derived, ${counts.unavailable} unavailable)`);
