/**
 * The `${variables}` a policy declares with its rules' `set` actions, typed as the agent
 * types them (`ruleset.go`, `PopulateFieldsWithRuleActionsData`): from the field a value
 * is copied from, else from the value (or `default_value`) itself; `append` or a list
 * value makes an array. Plus the agent's built-ins.
 */
import type { FieldInfo } from '../secl/eval.js';
import type { ActionDef } from './decode.js';

export const BUILTIN_VARIABLES: ReadonlyMap<string, FieldInfo> = new Map<string, FieldInfo>([
  ['builtins.uuid4', { type: 'string' }],
  ['process.pid', { type: 'int' }],
]);

export function policyVariables(
  rules: readonly { actions: readonly ActionDef[] }[],
  fieldType: (field: string) => FieldInfo['type'] | undefined,
): Map<string, FieldInfo> {
  const variables = new Map<string, FieldInfo>(BUILTIN_VARIABLES);
  for (const rule of rules) {
    for (const a of rule.actions) {
      const s = a.set;
      if (s === undefined) continue;
      const sample = s.value ?? s.defaultValue;
      const first = Array.isArray(sample) ? sample[0] : sample;
      let type: FieldInfo['type'] = 'string';
      if (s.field !== undefined) type = fieldType(s.field) ?? 'string';
      else if (typeof first === 'number') type = 'int';
      else if (typeof first === 'boolean') type = 'bool';
      variables.set(s.scope !== undefined ? `${s.scope}.${s.name}` : s.name, { type, array: s.append || Array.isArray(sample) });
    }
  }
  return variables;
}
