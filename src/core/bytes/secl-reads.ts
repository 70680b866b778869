/**
 * csm-filter's SECL engine (core/filter-engines.ts): the compiler of `--secl`
 * programs (secl/program.ts) and what a program reads of an event, for the
 * selection on the bytes (core/bytes/reads.ts). A module of its own so that
 * the SECL compiler and its field tables load only when `--secl` is used.
 */
import type { KeyPath } from './reads.js';
import { ASSUMED_FIELDS, type SeclProgram } from '../../secl/program.js';
import { SECL_FIELDS_LINUX } from '../../secl/fields.js';

export { compileSeclPrograms } from '../../secl/program.js';

/** A SECL field table path (`[]`: each element) as a key path. */
function seclKeyPath(path: readonly string[]): KeyPath {
  const end = path.indexOf('[]');
  return end < 0 ? path : path.slice(0, end);
}

/**
 * What a SECL program reads of a backend event (secl/backend.ts, program.ts):
 * its fields' JSON paths, its variables', the agent context, `date` (`now()`)
 * and `evt.name` (the event type). Undefined for a field it cannot place.
 */
export function seclReads(program: SeclProgram): KeyPath[] | undefined {
  const out: KeyPath[] = [['evt', 'name'], ['date']];
  for (const field of program.fields) {
    if (Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, field)) {
      out.push(ASSUMED_FIELDS[field]!.path);
      continue;
    }
    const spec = Object.prototype.hasOwnProperty.call(SECL_FIELDS_LINUX, field) ? SECL_FIELDS_LINUX[field] : undefined;
    if (spec === undefined) return undefined;
    const map = spec.map;
    if (map.kind === 'unavailable') continue;
    out.push(seclKeyPath(map.path));
  }
  for (const v of program.variables) if (v.path !== undefined) out.push(seclKeyPath(v.path));
  return out;
}
