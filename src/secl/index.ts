/**
 * SECL, the Security Agent's rule language: a pure core (no I/O).
 *
 *     const r = compileRule('exec.file.path == ~"/tmp/**" && process.uid == 0', { fields });
 *     if (r.ok) r.value.match(eventAsFieldSource);
 *
 * `parseRule`/`parseMacro` give an AST with spans (`ast.ts`); `compile` turns it into a
 * predicate over a `FieldSource`; errors are `SeclError` values, never thrown.
 */
export type * from './ast.js';
export type { SeclError, SeclErrorCode, Result } from './errors.js';
export { lex, type Token, type TokenType } from './lexer.js';
export { parseRule, parseMacro, MAX_DEPTH } from './parser.js';
export { print } from './print.js';
export {
  compile,
  compileRule,
  fieldsFrom,
  valuesMacro,
  type CompileOptions,
  type CompiledRule,
  type FieldInfo,
  type FieldSource,
  type FieldType,
  type Predicate,
  type SeclScalar,
} from './eval.js';
export { SECL_CONSTANTS, LINUX_CONSTANT_TABLES, type ConstantValue } from './constants.js';
export {
  SECL_FIELDS_LINUX,
  linuxFieldInfo,
  ruleEventTypes,
  type Derivation,
  type FieldMapping,
  type JsonPath,
  type SeclFieldSpec,
} from './fields.js';
export { backendEventType, backendFieldSource, readField, readPath, parseTimeNs, type BackendSourceOptions } from './backend.js';
export { AGENT_CASE_INSENSITIVE_FIELDS, SECL_LEGACY_FIELDS, isAgentGlobField } from './model.js';
export {
  compileSeclProgram,
  compileSeclPrograms,
  ASSUMED_FIELDS,
  type SeclProgram,
  type SeclProgramError,
  type SeclProgramResult,
} from './program.js';
export { AGENT_CONTEXT_FIELDS, agentContextValue, type AgentContextField } from './agent-context.js';
export { inferVariableTypes, variableSource, type ProgramVariable } from './program-variables.js';
export { seclFieldRows, seclFieldNames, jsonPathText, type SeclFieldRow } from './catalog.js';
