/**
 * Every rule of the default policy COMPILES with the evaluator, given a model built in
 * this test from the agent's field documentation (secl_linux.json: each field's type),
 * the policy's macros, and the variables its `set` actions declare. Which fields are
 * arrays is a heuristic here (iterators `*.ancestors.*`, argv-like fields, tags): the real
 * field table belongs to the wiring step. The agent rewrites `fim.*` fields into the
 * file events (open, chmod...) when it loads a policy: not done here, so a rule on a
 * `fim.` field is reported apart.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileRule, type FieldInfo } from '../../../src/secl/eval.js';
import { SECL_CONSTANTS } from '../../../src/secl/constants.js';
import { isAgentGlobField } from '../../../src/secl/model.js';
import { SHARED } from '../../helpers/run.js';
import { type PolicySetAction, policyVariables } from './helpers.js';

const POLICY = `${SHARED}policies/default.policy`;
const DOC = `${SHARED}reference/datadog-agent/docs/cloud-workload-security/secl_linux.json`;

interface Doc {
  event_types: { name: string; properties: { name: string; property_doc_link: string }[] }[];
  properties_doc: { link: string; type: string }[];
}
type SetAction = PolicySetAction & { expression?: string };
interface Policy {
  macros: { id: string; expression: string }[];
  rules: { id: string; expression: string; filters?: string[]; actions?: { set?: SetAction }[] }[];
}

const ready = existsSync(POLICY) && existsSync(DOC);

function model(): Map<string, FieldInfo> {
  const doc = JSON.parse(readFileSync(DOC, 'utf8')) as Doc;
  const types = new Map(doc.properties_doc.map((p) => [p.link, p.type]));
  const fields = new Map<string, FieldInfo>();
  const ARRAY = /(^|\.)(ancestors)\.|\.(argv|args_flags|args_options|envs|envp|tags|argv0s|helpers)$/;
  for (const et of doc.event_types) {
    for (const p of et.properties) {
      const t = types.get(p.property_doc_link);
      const type = t === 'int' ? 'int' : t === 'bool' ? 'bool' : t === 'IP/CIDR' ? 'ip' : 'string';
      fields.set(p.name, {
        type,
        array: ARRAY.test(p.name),
        glob: type === 'string' && isAgentGlobField(p.name),
      });
    }
  }
  return fields;
}

describe.skipIf(!ready)('the default policy against the evaluator', () => {
  it('compiles every Linux rule', () => {
    const policy = parseYaml(readFileSync(POLICY, 'utf8')) as Policy;
    const fields = model();
    const macros = new Map(policy.macros.map((m) => [m.id, m.expression]));
    const variables = policyVariables(policy.rules, (f) => fields.get(f)?.type);
    const linux = policy.rules.filter((r) => !(r.filters ?? []).some((f) => f.includes('windows')));
    const failures: string[] = [];
    const fim: string[] = [];
    for (const rule of linux) {
      const r = compileRule(rule.expression, {
        fields: (n) => fields.get(n),
        fieldNames: fields.keys(),
        macros,
        variables: (n) => variables.get(n),
        constants: SECL_CONSTANTS,
      });
      if (!r.ok && r.errors[0].code === 'unknown-field' && r.errors[0].message.includes("'fim.")) fim.push(rule.id);
      else if (!r.ok) failures.push(`${rule.id}: ${r.errors[0].code}: ${r.errors[0].message} [${rule.expression.slice(r.errors[0].span.start, r.errors[0].span.end)}]`);
    }
    console.log(`default.policy: ${linux.length - failures.length - fim.length}/${linux.length} Linux rules compile; ${fim.length} use fim.* fields (expanded by the loader): ${fim.join(', ')}`);
    expect(failures).toEqual([]);
    expect(fim).toEqual(['pam_modification']);
  });
});
