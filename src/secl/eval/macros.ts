/** Macros: compiled once per rule, refused when they refer to themselves. */
import type { MacroNode, Span } from '../ast.js';
import { parseMacro } from '../parser.js';
import { CompileFailure, fail, type Compiler, type Op } from './types.js';

export function macroOp(cp: Compiler, id: string, span: Span): Op | undefined {
  const cached = cp.macroOps.get(id);
  if (cached !== undefined) return { ...cached, span };
  const def = cp.opts.macros?.get(id);
  if (def === undefined) return undefined;
  if (cp.compilingMacros.has(id)) fail('macro', `macro '${id}' refers to itself`, span);
  let body: MacroNode;
  if (typeof def === 'string') {
    const parsed = parseMacro(def);
    if (!parsed.ok) fail('macro', `macro '${id}' does not parse: ${parsed.errors[0].message}`, span);
    body = parsed.value;
  } else {
    body = def;
  }
  cp.compilingMacros.add(id);
  try {
    const op = body.kind === 'list' ? cp.arrayOp(cp, body) : cp.nodeOp(cp, body);
    cp.macroOps.set(id, op);
    return { ...op, span };
  } catch (e) {
    if (e instanceof CompileFailure && e.error.code !== 'macro') {
      fail('macro', `macro '${id}' does not compile: ${e.error.message}`, span);
    }
    throw e;
  } finally {
    cp.compilingMacros.delete(id);
  }
}
