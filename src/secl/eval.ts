/**
 * SECL evaluator: AST -> `(event: FieldSource) => boolean`, with the semantics of the
 * agent's `pkg/security/secl/compiler/eval/` (`eval.go` for the operator/type table,
 * `operators.go` and its generated `eval_operators.go` for each operator, `strings.go`,
 * `pattern.go`, `glob.go`, `cidr.go`, `oo_glob_cmp.go`, `oo_case_insensitive.go`).
 *
 * The event is seen through `FieldSource`: a field resolves to zero or more values.
 * Types come from `CompileOptions.fields` (the model), as in the agent where every
 * field has a static type: a scalar field with no value reads as its zero value
 * (`""`, `0`, `false`, no IP), an array/iterator field with no value is empty.
 *
 * Semantics kept from the agent (each has a test named after it):
 * - on an array or iterator field, `==`, `=~`, `in`, `<`... hold if ANY element matches,
 *   and `!=`, `!~`, `not in` are their negation: NO element matches (`eval.go`: `Not(...)`);
 * - pattern/regexp matching only applies when one side is a field (or the list form
 *   `in [...]`): `"abc" == ~"a*"` is a plain comparison of two strings, false;
 * - `=~`/`!~` read a plain string on the right as a pattern; the right side must be static;
 * - on path fields (`glob`) patterns are globs; on case-insensitive fields strings,
 *   patterns and regexps compare case-insensitively;
 * - `allin` is `in` except on IP arrays, where it requires EVERY field IP to match EVERY
 *   listed network (`cidr.go`, `MatchAll`);
 * - `ipArray == CIDR` checks that an element CONTAINS the literal (one direction), while
 *   `ip == CIDR` and `in` are `IPNetsMatch` (either contains the other's address);
 * - `field < 5s` (a duration on the right) compares `now - field` with the duration, `now`
 *   being the event's own time (`FieldSource.now`); after `+`/`-` (`a - b < 5s`) it is a
 *   plain comparison; `!=` with a duration, and `==` on an array, are type errors;
 * - `&`, `|`, `^` refuse two non-constant operands ("full dynamic bitmask operation");
 * - integers are 64-bit and wrap; `.length` of a string is its length in UTF-8 bytes;
 * - a register (`process.ancestors[A].comm`) is checked but binds nothing: each condition
 *   holds for any element (the model's generated accessors ignore the register).
 *
 * Modules (`eval/`): `types.ts` (interfaces, operands), `values.ts` (reading values),
 * `compile.ts` (driver, entry points), `operands.ts` (identifiers, fields, registers),
 * `macros.ts`, `variables.ts`, `lists.ts` (right side of `in`), `operators.ts` (dispatch,
 * booleans), `strings.ts`, `ints.ts`, `durations.ts`, `ips.ts` (operators by type).
 */
export { compile, compileRule, fieldsFrom, valuesMacro } from './eval/compile.js';
export { utf8Length } from './eval/values.js';
export type {
  CompileOptions,
  CompiledRule,
  FieldInfo,
  FieldSource,
  FieldType,
  Predicate,
  RuleGuard,
  SeclScalar,
} from './eval/types.js';
