/** A small model and a fake FieldSource for the SECL evaluator tests. */
import { compileRule, fieldsFrom, type CompileOptions, type FieldInfo, type FieldSource, type SeclScalar } from '../../../src/secl/eval.js';
import type { SeclError } from '../../../src/secl/errors.js';

export const MODEL: Record<string, FieldInfo> = {
  'process.file.name': { type: 'string' },
  'process.file.path': { type: 'string', glob: true },
  'process.comm': { type: 'string' },
  'process.args': { type: 'string' },
  'process.argv': { type: 'string', array: true },
  'process.pid': { type: 'int' },
  'process.uid': { type: 'int' },
  'process.file.mode': { type: 'int' },
  'process.file.in_upper_layer': { type: 'bool' },
  'process.created_at': { type: 'int' },
  'process.ancestors.file.name': { type: 'string', array: true },
  'process.ancestors.file.path': { type: 'string', array: true, glob: true },
  'process.ancestors.pid': { type: 'int', array: true },
  'process.ancestors.comm': { type: 'string', array: true },
  'process.ancestors.created_at': { type: 'int', array: true },
  'process.ancestors.file.in_upper_layer': { type: 'bool', array: true },
  'open.flags': { type: 'int' },
  'open.file.path': { type: 'string', glob: true },
  'exec.file.change_time': { type: 'int' },
  'dns.question.name': { type: 'string', caseInsensitive: true },
  'network.destination.ip': { type: 'ip' },
  'network.source.ip': { type: 'ip' },
  'network.ips': { type: 'ip', array: true },
  'container.id': { type: 'string' },
};

export const TEST_CONSTANTS = new Map<string, bigint | boolean | string | readonly string[]>([
  ['true', true],
  ['false', false],
  ['O_RDONLY', 0n],
  ['O_WRONLY', 1n],
  ['O_RDWR', 2n],
  ['O_CREAT', 0o100n],
  ['O_TRUNC', 0o1000n],
  ['S_IXUSR', 0o100n],
  ['S_IXGRP', 0o10n],
  ['S_IXOTH', 0o1n],
  ['S_ISUID', 0o4000n],
  ['NAME_A', 'a'],
  ['CWS_MAP_NAMES', ['map_a', 'map_b']],
]);

export type EventData = Record<string, SeclScalar | SeclScalar[]>;

export function source(data: EventData, now?: bigint, variables: EventData = {}): FieldSource {
  const wrap = (v: SeclScalar | SeclScalar[] | undefined): SeclScalar[] | undefined =>
    v === undefined ? undefined : Array.isArray(v) ? v : [v];
  return {
    get: (f) => wrap(data[f]),
    now: () => now,
    variable: (n) => wrap(variables[n]),
  };
}

export const OPTIONS: CompileOptions = {
  fields: fieldsFrom(MODEL),
  fieldNames: Object.keys(MODEL),
  constants: TEST_CONSTANTS,
  macros: new Map<string, string>([
    ['shells', '["bash", "sh", ~"*zsh"]'],
    ['exec_bits', 'S_IXUSR|S_IXGRP|S_IXOTH'],
    ['is_root', 'process.uid == 0'],
    ['private_nets', '[10.0.0.0/8, 192.168.0.0/16]'],
    ['ports', '[22, 80]'],
    ['loop_a', 'loop_b'],
    ['loop_b', 'loop_a'],
    ['broken', 'process.file.name == 1'],
  ]),
  variables: fieldsFrom({
    'process.correlation_key': { type: 'string' },
    'cgroup.names': { type: 'string', array: true },
    'count': { type: 'int' },
    'pids': { type: 'int', array: true },
  }),
};

/** Compiles and evaluates, or returns the first error. */
export function run(expr: string, data: EventData, opts: { now?: bigint; variables?: EventData; options?: CompileOptions } = {}): boolean | SeclError {
  const r = compileRule(expr, opts.options ?? OPTIONS);
  if (!r.ok) return r.errors[0];
  return r.value.match(source(data, opts.now, opts.variables));
}

/** A policy's `set` action, as the default policy writes them. */
export interface PolicySetAction {
  name: string;
  scope?: string;
  field?: string;
  value?: unknown;
  default_value?: unknown;
  append?: boolean;
}

/**
 * The variables a policy declares with its `set` actions (plus the agent's
 * built-ins), typed as the agent types them: from the field a value is taken
 * from (`fieldType`), else from the value's own type.
 */
export function policyVariables(
  rules: readonly { actions?: readonly { set?: PolicySetAction }[] }[],
  fieldType: (field: string) => FieldInfo['type'] | undefined,
): Map<string, FieldInfo> {
  const variables = new Map<string, FieldInfo>([
    ['builtins.uuid4', { type: 'string' }],
    ['process.pid', { type: 'int' }],
  ]);
  for (const rule of rules) {
    for (const a of rule.actions ?? []) {
      const s = a.set;
      if (s === undefined) continue;
      const sample = s.value ?? s.default_value;
      let type: FieldInfo['type'] = 'string';
      if (s.field !== undefined) type = fieldType(s.field) ?? 'string';
      else if (typeof sample === 'number' || (Array.isArray(sample) && typeof sample[0] === 'number')) type = 'int';
      else if (typeof sample === 'boolean') type = 'bool';
      variables.set(s.scope !== undefined ? `${s.scope}.${s.name}` : s.name, { type, array: s.append === true || Array.isArray(sample) });
    }
  }
  return variables;
}
