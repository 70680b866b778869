/**
 * csm-validate's fast path: a line's bytes -> the verdict of a valid line, or
 * undefined ("not proven": the line goes the usual way, JSON.parse and ajv,
 * which also writes the full report of an invalid line).
 *
 * The verdict is the one validate-line.ts gives a valid line, field for field:
 * the kind (`evt.name`), the schema that judged it (or the agent custom event
 * it is, judge.ts), read from the values the scan noted (scan.ts) and handed to
 * the same functions the usual way uses (eventKind, customEventId,
 * chooseSchema) as a small object that holds only them.
 *
 * Only for the plain judges: one schema or `--schema auto`, nothing tolerated
 * (`--allow-unknown-keys` and `--ignore` make warnings: the usual way), no
 * `--ref`; the io layer decides (io/catalog.ts) and `CSM_FASTCHECK=0` turns
 * it off. A line without `evt.name` (its verdict may name an envelope) and a
 * line that is not an object give up too.
 */
import { customEventId } from '../judge.js';
import { DEFAULT_MAX_LINE_BYTES } from '../lines.js';
import { maxLineValues } from '../line-cost.js';
import { type Catalog, chooseSchema } from '../schema-choice.js';
import { type Verdict, eventKind } from '../verdict.js';
import { type FastSchema, compileFastSchema } from './compile.js';
import { CAP_NAME, CAP_OS, CAP_RULE_ID, CAP_VERSION, capture, scanLine, stringAt } from './scan.js';

/** A line's bytes -> the verdict of a valid line, or undefined (not proven). */
export type FastCheck = (bytes: Uint8Array, maxLineBytes?: number) => Verdict<never> | undefined;

/** What the fast path judges against: one schema (`name` as reports show it), or the bundled ones per event. */
export type FastSchemas =
  | { kind: 'single'; name: string | undefined; schema: unknown }
  | { kind: 'auto'; catalog: Catalog; schemaOf: (name: string) => unknown };

/** Longest capture kept for reuse (agent versions, rule ids and event names are far shorter). */
const MAX_KEPT = 64;
/** Per capture slot: the bytes (between the quotes) of the last string read there, and that string. */
const keptBytes = Array.from({ length: 8 }, () => new Uint8Array(MAX_KEPT));
const keptLength = new Int32Array(8).fill(-1);
const keptString: (string | undefined)[] = new Array<string | undefined>(8).fill(undefined);

/**
 * The string captured in `slot`, as JSON.parse would give it. A stream repeats
 * the same agent and event names line after line: when the bytes are those of
 * the slot's last string, that string is given again instead of decoding them.
 */
function captured(bytes: Uint8Array, slot: number): string | undefined {
  const flags = capture.flags[slot]!;
  if (flags < 0) return undefined;
  const start = capture.start[slot]!;
  const length = capture.end[slot]! - start;
  const kept = keptBytes[slot]!;
  if (length === keptLength[slot]) {
    let i = 0;
    while (i < length && bytes[start + i] === kept[i]) i++;
    if (i === length) return keptString[slot];
  }
  const text = stringAt(bytes, start, start + length, flags);
  if (length <= MAX_KEPT) {
    kept.set(bytes.subarray(start, start + length));
    keptLength[slot] = length;
    keptString[slot] = text;
  }
  return text;
}

/** The part of the event the verdict reads: `agent.{os,version,rule_id}` and `evt.name`, as JSON.parse would give them. */
function capturedEvent(bytes: Uint8Array): Record<string, Record<string, string>> {
  const event: Record<string, Record<string, string>> = {};
  if (capture.agentObject) {
    const agent: Record<string, string> = {};
    const os = captured(bytes, CAP_OS);
    const version = captured(bytes, CAP_VERSION);
    const ruleId = captured(bytes, CAP_RULE_ID);
    if (os !== undefined) agent.os = os;
    if (version !== undefined) agent.version = version;
    if (ruleId !== undefined) agent.rule_id = ruleId;
    event.agent = agent;
  }
  if (capture.evtObject) {
    const name = captured(bytes, CAP_NAME);
    event.evt = name === undefined ? {} : { name };
  }
  return event;
}

/** The compiled form of a schema, or undefined when the fast path does not cover it. */
export function fastSchema(schema: unknown): FastSchema | undefined {
  const compiled = compileFastSchema(schema);
  return 'declined' in compiled ? undefined : compiled;
}

/** Syntax only, with the captures: the check of an agent custom event, which no schema judges (judge.ts). */
const SYNTAX_ONLY: unknown = {
  properties: { agent: { properties: { os: true, version: true, rule_id: true } }, evt: { properties: { name: true } } },
};
let syntaxOnly: FastSchema | undefined;

/**
 * After a scan gave up: the verdict of an agent custom event (it needs only to
 * be JSON), when the scan read the whole `agent` object and its `rule_id` is one.
 */
function customVerdict(bytes: Uint8Array): Verdict<never> | undefined {
  if (!capture.agentDone || customEventId(capturedEvent(bytes)) === undefined) return undefined;
  return scanLine(syntaxSchema(), bytes) ? verdictOf(bytes, undefined, undefined) : undefined;
}

function syntaxSchema(): FastSchema {
  syntaxOnly ??= fastSchema(SYNTAX_ONLY)!;
  return syntaxOnly;
}

/**
 * The fast check of a judge. Each schema is compiled on the first line that
 * needs it (an empty input costs nothing); `debug` hears whether the fast path
 * covers it. A schema it declines leaves its lines to the usual way.
 * Under `auto` a line is scanned against the schema of the line before (a
 * stream is mostly of one agent); when its own `agent` (read before the scan
 * gave up, or after it passed, or by a scan of the syntax alone) chooses
 * another schema, against that one.
 */
export function fastCheck(schemas: FastSchemas, debug?: (message: string) => void): FastCheck {
  const compiledByName = new Map<string | undefined, FastSchema | undefined>();
  const schemaOf = schemas.kind === 'single' ? () => schemas.schema : schemas.schemaOf;
  const get = (name: string | undefined): FastSchema | undefined => {
    if (compiledByName.has(name)) return compiledByName.get(name);
    const compiled = compileFastSchema(schemaOf(name!));
    const label = name ?? 'the --schema file';
    debug?.(`fast path (core/fastcheck): ${label}: ${'declined' in compiled ? `off (${compiled.declined})` : 'on'}`);
    const fast = 'declined' in compiled ? undefined : compiled;
    compiledByName.set(name, fast);
    return fast;
  };
  if (schemas.kind === 'single') {
    const name = schemas.name;
    return (bytes, maxLineBytes) => {
      scanned = false;
      const compiled = get(name);
      if (compiled === undefined || !fits(bytes, maxLineBytes)) return undefined;
      return scanAgainst(compiled, bytes) ? verdictOf(bytes, name, undefined) : customVerdict(bytes);
    };
  }
  const { catalog } = schemas;
  // chooseSchema by agent.os and agent.version (each a string or absent), remembered (a stream has few agents).
  const choices = new Map<string | undefined, Map<string | undefined, string>>();
  let remembered = 0;
  // The last agent's os and version, and its schema (a stream is mostly of one agent).
  let lastOs: string | undefined;
  let lastVersion: string | undefined;
  let lastName: string | undefined;
  const choice = (event: Record<string, Record<string, string>>): string => {
    const os = event.agent?.os;
    const version = event.agent?.version;
    if (lastName !== undefined && os === lastOs && version === lastVersion) return lastName;
    let byVersion = choices.get(os);
    let name = byVersion?.get(version);
    if (name === undefined) {
      name = chooseSchema(event, catalog).name;
      if (remembered >= 256) {
        choices.clear();
        remembered = 0;
        byVersion = undefined;
      }
      if (byVersion === undefined) {
        byVersion = new Map();
        choices.set(os, byVersion);
      }
      byVersion.set(version, name);
      remembered++;
    }
    lastOs = os;
    lastVersion = version;
    lastName = name;
    return name;
  };
  let guess = chooseSchema({}, catalog).name;
  return (bytes, maxLineBytes) => {
    scanned = false;
    if (!fits(bytes, maxLineBytes)) return undefined;
    let against = guess;
    const first = get(against);
    if (first === undefined || !scanAgainst(first, bytes)) {
      // Not scanned, or the scan gave up before reading all of `agent`: read it in a scan of the syntax alone.
      if ((first === undefined || !capture.agentDone) && !scanLine(syntaxSchema(), bytes)) return undefined;
      const custom = customVerdict(bytes);
      if (custom !== undefined) return custom;
      against = choice(capturedEvent(bytes));
      const other = get(against);
      if (against === guess || other === undefined || !scanAgainst(other, bytes)) return undefined;
    }
    // The schema the event's agent chooses, once the line is proven valid against it.
    return verdictOf(bytes, against, (event) => {
      const chosen = choice(event);
      if (chosen !== against) {
        const other = get(chosen);
        if (other === undefined || !scanAgainst(other, bytes)) return undefined;
      }
      guess = chosen;
      return chosen;
    });
  };
}

/** Whether the last fast check scanned its line against a schema (and so, when it did not prove it, it is most likely invalid). */
let scanned = false;

function scanAgainst(compiled: FastSchema, bytes: Uint8Array): boolean {
  scanned = true;
  return scanLine(compiled, bytes);
}

/**
 * True when the last call of a fast check scanned its line against a schema
 * the fast path covers: a line it then did not prove is most likely invalid
 * (validate-line.ts runs the all-errors validator at once; a hint for speed,
 * not a verdict: the validator decides).
 */
export function fastScanned(): boolean {
  return scanned;
}

/** Lines long enough to hold more values than a line may (line-cost.ts) go the usual way. */
function fits(bytes: Uint8Array, maxLineBytes: number | undefined): boolean {
  return bytes.length < 2 * maxLineValues(maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
}

/**
 * The verdict of a line the scan accepted against `name`'s schema; `choose`
 * (under auto) gives the schema the event's agent chooses, once the line is
 * proven valid against it too (or undefined). The captures do not depend on the
 * schema: every schema that accepts the line reads them from the same bytes.
 */
function verdictOf(
  bytes: Uint8Array,
  name: string | undefined,
  choose: ((event: Record<string, Record<string, string>>) => string | undefined) | undefined,
): Verdict<never> | undefined {
  const event = capturedEvent(bytes);
  const kind = eventKind(event);
  const custom = customEventId(event);
  if (custom !== undefined) return { status: 'selected', kind, custom };
  if (kind === null || kind === undefined) return undefined;
  const schema = choose === undefined ? name : choose(event);
  if (choose !== undefined && schema === undefined) return undefined;
  return schema === undefined ? { status: 'selected', kind } : { status: 'selected', kind, schema };
}

const attached = new WeakMap<object, FastCheck>();

/** Gives `judge` its fast check (validate-line.ts asks for it with `fastCheckOf`). */
export function withFastCheck<J extends object>(judge: J, check: FastCheck | undefined): J {
  if (check !== undefined) attached.set(judge, check);
  return judge;
}

export function fastCheckOf(judge: object): FastCheck | undefined {
  return attached.get(judge);
}
