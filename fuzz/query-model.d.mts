/** Types of fuzz/query-model.mjs, for the TypeScript tests that import it. */
import type { Arbitrary } from 'fast-check';
import type { JsonNumber, JsonValue } from '../src/core/json/value.js';
import type { Segment } from '../src/core/path.js';
import type { Expr } from '../src/query/ast.js';

export interface Decimal {
  m: bigint;
  e: number;
}

export interface QueryModel {
  /** Any AST the grammar allows. */
  expr: Arbitrary<Expr>;
  /** ASTs the checker accepts (no schema), over small vocabularies. */
  validExpr: Arbitrary<Expr>;
  /** Events, mostly objects with keys a, b, c. */
  topEvent: Arbitrary<JsonValue>;
  eventValue: Arbitrary<JsonValue>;
  /** JSON number texts of any size. */
  numberText: Arbitrary<string>;
  /** What the README says `ast` gives on `event`. */
  reference(ast: Expr, event: JsonValue): boolean;
  referenceGlob(glob: string, s: string): boolean;
  decimal(text: string): Decimal;
  compareDecimals(a: Decimal, b: Decimal): number;
  KEYS: string[];
  STRINGS: string[];
  NUMBERS: string[];
  FRAGMENTS: string[];
  fuzzEvents: JsonValue[];
}

export function queryModel(deps: {
  JsonNumber: typeof JsonNumber;
  formatRawPath: (segments: readonly Segment[]) => string;
  KEYWORDS: ReadonlySet<string>;
}): QueryModel;
