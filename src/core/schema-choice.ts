/**
 * Which bundled schema judges an event, from the event's own `agent.os` and
 * `agent.version` (`--schema auto`, the default). Pure: the catalog (the list
 * of bundled schemas and the agent releases that write each, schema/catalog.json)
 * is read by io/catalog.ts and handed in.
 *
 * - `agent.os` "windows" (any case) -> the Windows schema;
 * - otherwise Linux: the newest Linux schema whose first agent release is at or
 *   below `agent.version` (major.minor.patch; a pre-release or build suffix such
 *   as `-rc.1`, `-devel` or `+git.1.abc` counts as its release);
 * - no usable `agent.version` (missing, not a string, not `X.Y.Z...`) -> the
 *   newest Linux schema.
 */
import { isJsonObject } from './json/value.js';

export type SchemaOs = 'linux' | 'windows';

/** One bundled schema and where it comes from. */
export interface CatalogSchema {
  /** `linux-2024-08`: what `--schema NAME` takes. */
  readonly name: string;
  readonly os: SchemaOs;
  /** File name in schema/. */
  readonly file: string;
  /** Date of the upstream commit (YYYY-MM-DD). */
  readonly date: string;
  readonly upstreamPath: string;
  readonly commit: string;
  readonly note?: string;
}

/** A Linux schema and the first agent release that writes events in it (null: every older one). */
export interface LinuxRelease {
  readonly schema: string;
  readonly from: string | null;
}

export interface Catalog {
  readonly schemas: readonly CatalogSchema[];
  /** Oldest first. */
  readonly linux: readonly LinuxRelease[];
  readonly windows: string;
  readonly releaseSources: readonly string[];
}

/** Why a schema was chosen (for `csm-schema versions` and tests). */
export type ChoiceReason = 'windows' | 'version' | 'no-version';

export interface SchemaChoice {
  readonly name: string;
  readonly reason: ChoiceReason;
}

export type AgentVersion = readonly [number, number, number];

/** `7.71.0`, `7.71.0-rc.1`, `v7.71.0+git.5.abc` -> [7, 71, 0]; anything else -> undefined. */
export function parseAgentVersion(text: unknown): AgentVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^v?(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})(?:[-+.~][0-9A-Za-z.+~-]*)?$/.exec(text.trim());
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareVersions(a: AgentVersion, b: AgentVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The newest Linux schema of the catalog (for events without a usable version, and for static checks). */
export function newestLinux(catalog: Catalog): string {
  const last = catalog.linux[catalog.linux.length - 1];
  if (last === undefined) throw new Error('catalog without a Linux schema');
  return last.schema;
}

/** The Linux schema of an agent release. */
export function linuxSchemaFor(version: AgentVersion, catalog: Catalog): string {
  let chosen = catalog.linux[0]!.schema;
  for (const r of catalog.linux) {
    const from = r.from === null ? undefined : parseAgentVersion(r.from);
    if (from === undefined || compareVersions(version, from) >= 0) chosen = r.schema;
  }
  return chosen;
}

/** The agent release range of each schema, as text (`< 7.71.0`, `>= 7.71.0`, `all`). */
export function releaseRange(name: string, catalog: Catalog): string {
  if (catalog.windows === name) return 'every Windows agent';
  const i = catalog.linux.findIndex((r) => r.schema === name);
  if (i < 0) return '';
  const from = catalog.linux[i]!.from;
  const next = catalog.linux[i + 1]?.from;
  const parts = [...(from !== null ? [`>= ${from}`] : []), ...(next !== undefined && next !== null ? [`< ${next}`] : [])];
  const range = parts.length === 0 ? 'every Linux agent' : `Linux agents ${parts.join(', ')}`;
  return i === catalog.linux.length - 1 ? `${range}, and events without a usable agent.version` : range;
}

/** The schema that judges `event` under `--schema auto`. */
export function chooseSchema(event: unknown, catalog: Catalog): SchemaChoice {
  const agent = isJsonObject(event) && Object.hasOwn(event, 'agent') ? event.agent : undefined;
  const os = isJsonObject(agent) && Object.hasOwn(agent, 'os') ? agent.os : undefined;
  if (typeof os === 'string' && os.toLowerCase() === 'windows') return { name: catalog.windows, reason: 'windows' };
  const version = parseAgentVersion(isJsonObject(agent) && Object.hasOwn(agent, 'version') ? agent.version : undefined);
  if (version === undefined) return { name: newestLinux(catalog), reason: 'no-version' };
  return { name: linuxSchemaFor(version, catalog), reason: 'version' };
}

/** The names `--schema` takes besides a file: `auto` and each bundled schema. */
export function schemaNames(catalog: Catalog): string[] {
  return ['auto', ...catalog.schemas.map((s) => s.name)];
}
