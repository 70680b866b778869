/**
 * The `--count-by` limits that option definitions (src/cli/commands.ts) show in `--help`, in a
 * module of their own: importing them does not load the counting code and, through it, the query
 * and SECL engines (about half of csm-validate's start-up, which never counts).
 */

/** Default `--max-groups`. */
export const DEFAULT_MAX_GROUPS = 100_000;

/** The `--count-by` output formats (`--format`). */
export const COUNT_FORMATS = ['text', 'tsv', 'csv', 'ndjson'] as const;
