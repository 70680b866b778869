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
 * Where one SECL field is read in a backend event: its JSON path as a key path
 * (`assumed`: the fields taken from another place of the event, with that
 * place); null for a field the backend does not write (nothing to read);
 * undefined for a field the table does not have.
 */
export function seclFieldReads(field: string, assumed: Readonly<Record<string, { path: readonly string[] }>>): KeyPath | null | undefined {
  if (Object.prototype.hasOwnProperty.call(assumed, field)) return assumed[field]!.path;
  const spec = Object.prototype.hasOwnProperty.call(SECL_FIELDS_LINUX, field) ? SECL_FIELDS_LINUX[field] : undefined;
  if (spec === undefined) return undefined;
  const map = spec.map;
  return map.kind === 'unavailable' ? null : seclKeyPath(map.path);
}

/**
 * What a SECL program reads of a backend event (secl/backend.ts, program.ts):
 * its fields' JSON paths, its variables', the agent context, `date` (`now()`)
 * and `evt.name` (the event type). Undefined for a field it cannot place.
 */
export function seclReads(program: SeclProgram): KeyPath[] | undefined {
  const out: KeyPath[] = [['evt', 'name'], ['date']];
  for (const field of program.fields) {
    const path = seclFieldReads(field, ASSUMED_FIELDS);
    if (path === undefined) return undefined;
    if (path !== null) out.push(path);
  }
  for (const v of program.variables) if (v.path !== undefined) out.push(seclKeyPath(v.path));
  return out;
}
