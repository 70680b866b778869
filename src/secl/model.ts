/**
 * What the agent's model says about comparing fields, beyond their types:
 *
 * - case-insensitive fields: those whose model field has
 *   `op_override:"eval.CaseInsensitiveCmp"` (`pkg/security/secl/model/model.go`:
 *   `DNSQuestion.Name`, reached as `dns.question.name` from `DNSEvent` at `dns`);
 * - glob fields: file paths, `FileFields.PathnameStr` (`field:"path"` with
 *   `op_override:"ProcessSymlinkPathname,OverlayFSPathname"` in `model_unix.go`), both
 *   overrides built on `eval.GlobCmp`: every `*.file.path` and `*.file.destination.path`;
 *   a file's `name` is not a glob (`ProcessSymlinkBasename` keeps `StringEquals`);
 * - legacy names (`legacy_secl.go`), which the agent replaces before resolving a field.
 *
 * Not reproduced: for `exec.file.path` and `process.file.path` the agent also matches
 * the symlink paths it resolved (`ProcessSymlinkPathname`), which the backend event may
 * not carry.
 */
import { SECL_LEGACY_FIELDS } from './generated/legacy-fields.js';

export { SECL_LEGACY_FIELDS };

export const AGENT_CASE_INSENSITIVE_FIELDS: ReadonlySet<string> = new Set(['dns.question.name']);

const GLOB_FIELD = /(^|\.)file(\.destination)?\.path$/;

/** Whether the agent compares patterns on this field as globs (file paths). */
export function isAgentGlobField(name: string): boolean {
  return GLOB_FIELD.test(name);
}
