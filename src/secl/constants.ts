/**
 * SECL constants: the identifiers a rule may use as values (`O_CREAT`, `S_IXUSR`,
 * `CAP_SYS_ADMIN`, `SIGKILL`, `EACCES`, `AF_INET`, `true`...).
 *
 * The tables are generated from the agent's `pkg/security/secl/model/consts_common.go`
 * and `consts_linux.go` by `scripts/gen-secl-constants.mjs` (see the provenance header
 * of `generated/constants-linux.ts`); `true` and `false` are the agent's
 * `BooleanConstants`. Values are those of linux/amd64. `LINUX_CONSTANT_TABLES` keeps each
 * Go table apart (e.g. `openFlagsConstants`), for turning the flag names the backend
 * writes (`["O_CREAT", "O_RDWR"]`) back into the integer the agent compares.
 */
import { LINUX_CONSTANT_TABLES, LINUX_INT_CONSTANTS, LINUX_STRING_ARRAY_CONSTANTS } from './generated/constants-linux.js';

export { LINUX_CONSTANT_TABLES };

/** A constant's value: an integer, a boolean, a string, or a list of strings. */
export type ConstantValue = bigint | boolean | string | readonly string[];

function build(): ReadonlyMap<string, ConstantValue> {
  const m = new Map<string, ConstantValue>();
  for (const [k, v] of Object.entries(LINUX_INT_CONSTANTS)) m.set(k, BigInt(v));
  for (const [k, v] of Object.entries(LINUX_STRING_ARRAY_CONSTANTS)) m.set(k, v);
  m.set('true', true);
  m.set('false', false);
  return m;
}

/** The agent's constants on Linux (amd64 values). */
export const SECL_CONSTANTS: ReadonlyMap<string, ConstantValue> = build();
