/**
 * The query language: lexer, parser, checker and evaluator never throw and
 * answer quickly on any text; errors are well-formed and render as one line
 * plus the query and a caret; print/parse round trip; evaluation agrees with
 * the reference evaluator of fuzz/query-model.mjs.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonNumber, buildSchemaIndex, bundledEventSchema, compileQuery, parseLossless, renderQueryError } from '../../dist/index.js';
import { compileGlob, parseQuery, printQuery, stripSpans } from '../../dist/query/index.js';
import { KEYWORDS } from '../../dist/query/lexer.js';
import { formatRawPath } from '../../dist/core/path.js';
import { queryModel } from '../query-model.mjs';

const model = queryModel({ JsonNumber, formatRawPath, KEYWORDS });
const SCHEMA = buildSchemaIndex(bundledEventSchema());
/** Per query (lex, parse, check, compile, a few matches): far above what any takes. */
const SLOW_MS = 2000;

/** Query-ish text: fragments of the language, schema paths, odd characters, glued or spaced. */
const QUERY_FRAGMENTS = [
  ...model.FRAGMENTS,
  'process.pid', 'process.args', 'process.args[0]', 'process.ancestors[*].executable.name', 'mount.mountpoint.path',
  'mount["mountpoint.path"]', 'evt.name', 'title', 'file.inode', 'process.variables.x.y', 'exists(', 'not in', '"/etc/**"',
  '"\\u00e9"', '"\\ud800"', 'r"^/tmp/.*\\.sh$"', 'r"(?P<x>a)"', 'r"\\1"', '"[z-a]"', '"[!"', '1e400', '-0', '0.5', '1.', '.5',
  '\n', '\t', '\r', '\u0000', '\u000b', '\u2028', '\ufeff', 'é', '😀', '\ud800', '"\n"', 'r"\n"', 'a["\n"]', '"\\\n"', '__proto__',
  'constructor', '[-1]', '[99999999999999999999]', '[*]', '&&', '||', '!', 'in [', ']',
];
const queryishText = fc.array(fc.constantFrom(...QUERY_FRAGMENTS), { maxLength: 30 }).chain((parts) =>
  fc.constantFrom(' ', '', '  ').map((sep) => parts.join(sep)),
);
const anyQueryText = fc.oneof(
  queryishText,
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  model.expr.map((ast) => printQuery(ast)),
);

/** JSON values to match against, lossless numbers included. */
const anyEvent = fc.oneof(
  model.topEvent,
  fc.jsonValue({ maxDepth: 4 }),
  fc.json({ maxDepth: 4 }).map((t) => parseLossless(t)),
);

/** An error is in range, one line, and renders as: message line, [opener line, caret line], query line, caret line. */
function checkErrors(text, errors) {
  assert.ok(errors.length > 0, 'a failed query has errors');
  for (const e of errors) {
    assert.ok(Number.isInteger(e.span.start) && Number.isInteger(e.span.end), 'integer span');
    assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= Math.max(text.length, 1), `span ${e.span.start}-${e.span.end} in 0-${text.length}`);
    assert.ok(e.message.length > 0, 'message');
    // The message may quote the query's own text raw; the renderer escapes it (core/escape.ts).
    const rendered = `csm-filter: ${renderQueryError(text, e, '--where')}`;
    assert.ok(!/[\r\u2028\u2029\x1b]/.test(rendered), `terminal-safe rendering: ${JSON.stringify(rendered)}`);
    const lines = rendered.split('\n');
    assert.ok(lines.length === 3 || lines.length === 5, `rendered as 3 or 5 lines, not ${lines.length}: ${JSON.stringify(rendered)}`);
    assert.match(lines[0], /^csm-filter: --where: .+ at (line \d+, )?column \d+$/s);
    assert.match(lines[lines.length - 1], /^ {2}[ \t^]*\^[ \t^]*$/);
    if (lines.length === 5) assert.match(lines[2], /^ {2}[ \t^]*\^[ \t^]* opened here$/);
  }
}

function timed(what, fn) {
  const t = performance.now();
  fn();
  const ms = performance.now() - t;
  assert.ok(ms < SLOW_MS, `${what} took ${ms.toFixed(0)} ms`);
}

export const properties = [
  {
    name: 'any-text',
    description: 'compileQuery on any text (with and without the schema) never throws, answers quickly, errors render as line + caret',
    property: () =>
      fc.property(anyQueryText, fc.boolean(), fc.array(anyEvent, { maxLength: 3 }), (text, withSchema, events) =>
        timed(JSON.stringify(text), () => {
          const q = compileQuery(text, withSchema ? { schema: SCHEMA } : {});
          if (!q.ok) return checkErrors(text, q.errors);
          for (const e of [...model.fuzzEvents, ...events]) assert.equal(typeof q.match(e), 'boolean');
        }),
      ),
  },
  {
    name: 'print-parse',
    description: 'parse(print(ast)) is ast (spans aside) and printing is stable, for any AST the grammar allows',
    property: () =>
      fc.property(model.expr, (ast) => {
        const text = printQuery(ast);
        const r = parseQuery(text);
        assert.ok(r.ok, `${text}: ${r.ok ? '' : r.errors[0].message}`);
        assert.deepStrictEqual(stripSpans(r.ast), stripSpans(ast));
        assert.equal(printQuery(r.ast), text);
      }),
  },
  {
    name: 'reference',
    description: 'compiled queries agree with the reference evaluator on random events',
    property: () =>
      fc.property(model.validExpr, fc.array(model.topEvent, { minLength: 1, maxLength: 5 }), (ast, events) => {
        const text = printQuery(ast);
        const q = compileQuery(text);
        assert.ok(q.ok, `${text}: ${q.ok ? '' : q.errors[0].message}`);
        for (const event of events) assert.equal(q.match(event), model.reference(ast, event), `${text} on ${JSON.stringify(event)}`);
      }),
  },
  {
    name: 'globs',
    description: 'globs agree with a brute-force matcher',
    property: () =>
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '/', '*', '**', '?', '[ab]', '[!a]', '[^b]', '[a-b]', '[]a]', '\\*', '\\[', 'é', '😀', '.', '(', '$'), { maxLength: 8 }),
        fc.array(fc.constantFrom('a', 'b', '/', '*', 'é', '😀', '.', '(', ']', '\n'), { maxLength: 10 }),
        (g, s) => {
          const glob = g.join('');
          const str = s.join('');
          const compiled = compileGlob(glob);
          assert.ok(compiled.ok, `${glob}: ${compiled.ok ? '' : compiled.error.message}`);
          assert.equal(compiled.test(str), model.referenceGlob(glob, str), `${glob} on ${JSON.stringify(str)}`);
        },
      ),
  },
  {
    name: 'schema-paths',
    description: 'any path over the schema vocabulary resolves or gives an unknown-field error, never throws',
    property: () => {
      const word = fc.constantFrom('process', 'args', 'ancestors', 'executable', 'path', 'name', 'mount', 'mountpoint', 'file', 'evt',
        'variables', 'credentials', 'uid', 'k8s_extra', 'container', 'id', '__proto__', 'constructor', 'x', 'arg', 'destination');
      const step = fc.oneof(
        { weight: 5, arbitrary: word.map((w) => `.${w}`) },
        { weight: 1, arbitrary: fc.constantFrom('[*]', '[0]', '[-1]', '["mountpoint.path"]', '["a.b"]', '[""]') },
      );
      const path = fc.tuple(word, fc.array(step, { maxLength: 6 })).map(([w, s]) => w + s.join(''));
      const value = fc.constantFrom('1', '"x"', 'null', 'true', '[1, "x"]', 'r"x"', '"*"', '18446744073709551616');
      const op = fc.constantFrom('==', '!=', '<', '>=', '=~', '!~', 'in', 'not in');
      return fc.property(path, op, value, anyEvent, (p, o, v, event) => {
        for (const text of [`${p} ${o} ${v}`, `exists(${p})`]) {
          timed(text, () => {
            const q = compileQuery(text, { schema: SCHEMA });
            if (!q.ok) return checkErrors(text, q.errors);
            assert.equal(typeof q.match(event), 'boolean');
          });
        }
      });
    },
  },
];


