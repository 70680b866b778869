/**
 * The generated Linux field table (`src/secl/generated/fields-linux.ts`) against the
 * backend schema and the default policy.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileRule, type FieldInfo } from '../../../src/secl/eval.js';
import { SECL_FIELDS_LINUX, linuxFieldInfo, ruleEventTypes, type JsonPath, type SeclFieldSpec } from '../../../src/secl/fields.js';
import { SHARED } from '../../helpers/run.js';
import { type PolicySetAction, policyVariables } from './helpers.js';

const SCHEMA = `${SHARED}seed/backend_linux.schema.json`;
const POLICY = `${SHARED}policies/default.policy`;

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}
interface Schema extends SchemaNode {
  $defs: Record<string, SchemaNode>;
}

function resolve(schema: Schema, n: SchemaNode | undefined): SchemaNode | undefined {
  let node = n;
  for (let i = 0; i < 10 && node?.$ref !== undefined; i++) node = schema.$defs[node.$ref.replace('#/$defs/', '')];
  return node;
}

/** Whether the schema has this path; a node that constrains nothing accepts any sub-path. */
function schemaHas(schema: Schema, path: JsonPath): boolean {
  let n: SchemaNode | undefined = schema;
  for (const seg of path) {
    const node = resolve(schema, n);
    if (node === undefined) return false;
    const open = node.type === undefined && node.properties === undefined && node.items === undefined;
    if (open && node !== schema) return true;
    n = seg === '[]' ? node.items : node.properties?.[seg];
    if (n === undefined) return false;
  }
  return true;
}

function schemaLeaf(schema: Schema, path: JsonPath): SchemaNode | undefined {
  let n: SchemaNode | undefined = schema;
  for (const seg of path) n = seg === '[]' ? resolve(schema, n)?.items : resolve(schema, n)?.properties?.[seg];
  return resolve(schema, n);
}

const entries = Object.entries(SECL_FIELDS_LINUX) as [string, SeclFieldSpec][];

describe('the Linux field table', () => {
  it('has the fields of the agent documentation, with mappings', () => {
    expect(entries.length).toBeGreaterThan(1800);
    expect(SECL_FIELDS_LINUX['open.file.path'].map).toEqual({ kind: 'direct', path: ['file', 'path'] });
    expect(SECL_FIELDS_LINUX['exec.file.path'].map).toEqual({ kind: 'direct', path: ['file', 'path'] });
    expect(SECL_FIELDS_LINUX['process.file.name'].map).toEqual({ kind: 'direct', path: ['process', 'executable', 'name'] });
    expect(SECL_FIELDS_LINUX['process.ancestors.file.name']).toMatchObject({
      iterator: true,
      map: { kind: 'direct', path: ['process', 'ancestors', '[]', 'executable', 'name'] },
    });
    expect(SECL_FIELDS_LINUX['dns.question.name'].map).toEqual({ kind: 'direct', path: ['dns', 'question', 'name'] });
    expect(SECL_FIELDS_LINUX['exec.args'].map).toEqual({ kind: 'derived', derivation: 'join-args', path: ['process', 'args'] });
    expect(SECL_FIELDS_LINUX['exec.argv']).toMatchObject({ array: true, map: { kind: 'direct', path: ['process', 'args'] } });
    expect(SECL_FIELDS_LINUX['open.flags']).toMatchObject({ event: 'open', type: 'int', map: { kind: 'derived', derivation: 'flags', table: 'openFlagsConstants', docTable: 'Open flags' } });
    expect(SECL_FIELDS_LINUX['process.ancestors.length'].map).toEqual({ kind: 'derived', derivation: 'count', path: ['process', 'ancestors'] });
    expect(SECL_FIELDS_LINUX['open.retval'].map.kind).toBe('unavailable');
    expect(SECL_FIELDS_LINUX['mmap.flags'].map).toMatchObject({ derivation: 'enum', path: ['mmap', 'flags'], table: 'mmapFlagConstants' });
    expect(SECL_FIELDS_LINUX['load_module.name'].map).toEqual({ kind: 'direct', path: ['module', 'name'] });
    expect(SECL_FIELDS_LINUX['process.is_exec'].map).toEqual({ kind: 'derived', derivation: 'not', path: ['process', 'is_thread'] });
    expect(SECL_FIELDS_LINUX['process.pid'].event).toBeUndefined();
  });

  it.skipIf(!existsSync(SCHEMA))('emits only JSON paths that the backend schema has', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Schema;
    const missing = entries.filter(([, f]) => f.map.kind !== 'unavailable' && !schemaHas(schema, f.map.path)).map(([n]) => n);
    expect(missing).toEqual([]);
  });

  it('gives a rule the event types of its fields', () => {
    expect(ruleEventTypes(['open.file.path', 'process.file.name'])).toEqual(['open']);
    expect(ruleEventTypes(['process.file.name', 'container.id'])).toBeUndefined();
    expect(ruleEventTypes(['network.destination.ip'])).toEqual(['dns', 'imds', 'packet']);
    expect(ruleEventTypes(['network.destination.ip', 'dns.question.name'])).toEqual(['dns']);
    expect(ruleEventTypes(['open.file.path', 'exec.file.path'])).toEqual([]);
  });

  it.skipIf(!existsSync(SCHEMA))('reads JSON values of the type the SECL type or derivation expects', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Schema;
    const direct: Record<SeclFieldSpec['type'], string[]> = { int: ['integer', 'number'], string: ['string'], bool: ['boolean'], ip: ['string'] };
    const derived: Record<string, string> = {
      time: 'string', flags: 'array', enum: 'string', rights: 'integer', 'join-args': 'array', 'args-flags': 'array',
      'args-options': 'array', count: 'array', not: 'boolean', length: 'string', 'bool-string': 'string',
    };
    const wrong: string[] = [];
    for (const [name, f] of entries) {
      if (f.map.kind === 'unavailable') continue;
      const leaf = schemaLeaf(schema, f.map.path);
      if (leaf === undefined || leaf.type === undefined) continue;
      const types = ([] as string[]).concat(leaf.type);
      const items = types.includes('array') ? ([] as string[]).concat(resolve(schema, leaf.items)?.type ?? []) : [];
      const ok =
        f.map.kind === 'direct'
          ? [...types, ...items].some((t) => direct[f.type].includes(t))
          : types.includes(derived[f.map.derivation]) || (f.map.derivation === 'enum' && f.array === true && items.includes('string'));
      if (!ok) wrong.push(`${name}: ${f.map.kind === 'derived' ? f.map.derivation : f.type} on ${types.join('|')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the evaluator types, arrays, globs and case-insensitivity', () => {
    expect(linuxFieldInfo('open.file.path')).toEqual<FieldInfo>({ type: 'string', glob: true });
    expect(linuxFieldInfo('process.ancestors.pid')).toEqual<FieldInfo>({ type: 'int', array: true });
    expect(linuxFieldInfo('dns.question.name')).toEqual<FieldInfo>({ type: 'string', caseInsensitive: true });
    expect(linuxFieldInfo('no.such.field')).toBeUndefined();
    expect(linuxFieldInfo('toString')).toBeUndefined();
  });
});

interface Policy {
  macros: { id: string; expression?: string; values?: string[] }[];
  rules: { id: string; expression: string; filters?: string[]; actions?: { set?: PolicySetAction }[] }[];
}

describe.skipIf(!existsSync(POLICY))('the field table against the default policy', () => {
  it('has every field the Linux rules use', () => {
    const policy = parseYaml(readFileSync(POLICY, 'utf8')) as Policy;
    const macros = new Map(policy.macros.filter((m) => m.expression !== undefined).map((m) => [m.id, m.expression as string]));
    const variables = policyVariables(policy.rules, (f) => linuxFieldInfo(f)?.type);
    const linux = policy.rules.filter((r) => !(r.filters ?? []).some((f) => f.includes('windows')));
    const failures: string[] = [];
    const byKind = { direct: 0, derived: 0, unavailable: 0 };
    const ruleReasons = new Map<string, number>();
    const reasons = new Map<string, Set<string>>();
    for (const rule of linux) {
      const r = compileRule(rule.expression, { fields: linuxFieldInfo, macros, variables: (n) => variables.get(n) });
      if (!r.ok) {
        const e = r.errors[0];
        if (!(e.code === 'unknown-field' && e.message.includes("'fim."))) failures.push(`${rule.id}: ${e.message}`);
        continue;
      }
      const missing = r.value.fields.filter((f) => SECL_FIELDS_LINUX[f].map.kind === 'unavailable');
      if (missing.length > 0) byKind.unavailable++;
      else if (r.value.fields.some((f) => SECL_FIELDS_LINUX[f].map.kind === 'derived')) byKind.derived++;
      else byKind.direct++;
      const combo = [...new Set(missing.map((f) => (SECL_FIELDS_LINUX[f].map as { reason: string }).reason))].sort().join(' + ');
      if (combo !== '') ruleReasons.set(combo, (ruleReasons.get(combo) ?? 0) + 1);
      for (const f of missing) {
        const m = SECL_FIELDS_LINUX[f].map;
        const reason = m.kind === 'unavailable' ? m.reason : '';
        const set = reasons.get(reason) ?? new Set<string>();
        set.add(f);
        reasons.set(reason, set);
      }
    }
    const lines = [...reasons].map(([reason, fs]) => `  ${reason}: ${[...fs].sort().join(', ')}`);
    const combos = [...ruleReasons].map(([reason, n]) => `  ${n} rules: ${reason}`);
    console.log(
      `default.policy, ${linux.length} Linux rules: ${byKind.direct} read only direct fields, ${byKind.derived} direct and derived, ` +
        `${byKind.unavailable} need unavailable fields:\n${combos.join('\n')}\nthe unavailable fields by reason:\n${lines.join('\n')}`,
    );
    expect(failures).toEqual([]);
  });
});
