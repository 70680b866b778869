/**
 * One event's schema verdict, shared by csm-validate and csm-filter --validate:
 * the agent's own custom events are recognised and not judged as CSM events;
 * the others go to the schema the judge picks (one schema, or per event under
 * `--schema auto`), and the problems found are split into errors and warnings
 * by what the user chose to tolerate (`--allow-unknown-keys`, `--ignore`).
 * Pure: the validators are compiled elsewhere and handed in.
 */
import { type Issue, UsageError } from './diagnostic.js';
import { isJsonObject } from './json/value.js';
import { AGENT_CUSTOM_EVENTS } from './kinds.js';
import { closest } from './schema-index/suggest.js';
import type { Validator } from './validate.js';
import { valueForValidation } from './exact-numbers.js';
import { locateIssues } from './parse-line.js';

/** Picks the validator of an event; `name` is what reports show (undefined: a single user file). */
export interface SchemaJudge {
  pick(value: unknown): { name: string | undefined; validator: Validator };
}

/** A judge that always uses one validator. */
export function singleJudge(validator: Validator, name?: string): SchemaJudge {
  const picked = { name, validator };
  return { pick: () => picked };
}

/** `--ignore KEYWORD[:POINTER-GLOB]`: problems of that keyword (at those pointers) become warnings. */
export interface IgnoreRule {
  readonly keyword: string;
  /** The glob as typed (`/dns/response`, `/process/ancestors/*\/credentials`, `/**`); undefined: anywhere. */
  readonly pointer?: string;
}

/** What the user tolerates: problems that are warnings, not errors. Plain data (crosses threads). */
export interface Tolerance {
  readonly allowUnknownKeys: boolean;
  readonly ignore: readonly IgnoreRule[];
}

export const NO_TOLERANCE: Tolerance = { allowUnknownKeys: false, ignore: [] };

/** The keywords a schema problem can have (ajv's, draft-07 to 2020-12). */
export const SCHEMA_KEYWORDS: readonly string[] = [
  'additionalItems', 'additionalProperties', 'anyOf', 'const', 'contains', 'dependencies', 'dependentRequired',
  'dependentSchemas', 'enum', 'exclusiveMaximum', 'exclusiveMinimum', 'false schema', 'format', 'if', 'items',
  'maxContains', 'maxItems', 'maxLength', 'maxProperties', 'maximum', 'minContains', 'minItems', 'minLength',
  'minProperties', 'minimum', 'multipleOf', 'not', 'oneOf', 'pattern', 'patternProperties', 'prefixItems',
  'propertyNames', 'required', 'type', 'unevaluatedItems', 'unevaluatedProperties', 'uniqueItems',
];

const LINE_LEVEL = ['json', 'encoding', 'size', 'depth'];

/** Reads `KEYWORD[:POINTER-GLOB]`; a UsageError (without the flag's name) says what is wrong. */
export function parseIgnoreRule(text: string): IgnoreRule {
  const colon = text.indexOf(':');
  const keyword = colon < 0 ? text : text.slice(0, colon);
  const pointer = colon < 0 ? undefined : text.slice(colon + 1);
  if (LINE_LEVEL.includes(keyword)) {
    throw new UsageError(`'${keyword}' is a problem of the line, not of the schema: it cannot be ignored`);
  }
  if (!SCHEMA_KEYWORDS.includes(keyword)) {
    const best = closest(keyword, SCHEMA_KEYWORDS, (k) => k, 3);
    throw new UsageError(
      `unknown keyword '${keyword}'${best !== undefined ? ` — did you mean '${best}'?` : ''} (expected KEYWORD[:POINTER-GLOB], e.g. type:/dns/response)`,
    );
  }
  if (pointer !== undefined && !(pointer === '' || pointer.startsWith('/'))) {
    throw new UsageError(`'${pointer}' is not a JSON pointer: it starts with '/' (e.g. type:/dns/response), or is empty for the root`);
  }
  return pointer === undefined ? { keyword } : { keyword, pointer };
}

/**
 * A pointer glob as a test: `*` is one step or part of one (no `/`), `/**` any
 * number of steps, none included (`/process/**\/auid` takes `/process/auid`);
 * the whole pointer must match.
 */
export function pointerGlob(glob: string): (pointer: string) => boolean {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '/' && glob[i + 1] === '*' && glob[i + 2] === '*' && (i + 3 === glob.length || glob[i + 3] === '/')) {
      source += '(?:/.*)?';
      i += 2;
    } else if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else source += ch.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, 'u');
  return (pointer) => re.test(pointer);
}

/** Splits problems into errors and warnings. */
export function compileTolerance(tolerance: Tolerance): (issue: Issue) => boolean {
  const rules = tolerance.ignore.map((r) => ({ keyword: r.keyword, match: r.pointer === undefined ? undefined : pointerGlob(r.pointer) }));
  return (issue) => {
    if (tolerance.allowUnknownKeys && issue.code === 'additionalProperties') return true;
    return rules.some((r) => {
      if (r.keyword !== issue.code) return false;
      if (r.match === undefined) return true;
      if (r.match(issue.instancePath)) return true;
      // A missing or unknown key is also addressed by its own pointer (/process/credentials/auid).
      const key = issue.params.missingProperty ?? issue.params.additionalProperty;
      return typeof key === 'string' && r.match(`${issue.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    });
  };
}

/** The rule id of one of the agent's own events (`ruleset_loaded`, `heartbeat`, ...), else undefined. */
export function customEventId(value: unknown): string | undefined {
  const agent = isJsonObject(value) && Object.hasOwn(value, 'agent') ? value.agent : undefined;
  const id = isJsonObject(agent) && Object.hasOwn(agent, 'rule_id') ? agent.rule_id : undefined;
  return typeof id === 'string' && AGENT_CUSTOM_EVENTS.includes(id) ? id : undefined;
}

export interface Judgement {
  /** The schema that judged the event (absent for a custom event, or a single user file). */
  schema?: string;
  /** The rule id of an agent custom event (not judged as a CSM event). */
  custom?: string;
  errors: Issue[];
  warnings: Issue[];
  /** Problems beyond the per-line cap (MAX_ERRORS_PER_LINE): counted, not listed. */
  omitted: number;
}

/** The problems listed per line (errors and warnings); the rest are counted (`omitted`). */
export const MAX_ERRORS_PER_LINE = 100;

/**
 * The compiled form of a judge and its tolerance: event -> judgement.
 * `likelyInvalid`: the event's line was scanned by the fast path and not proven
 * valid (Validator.check: the all-errors validator runs at once).
 */
export type EventJudge = (value: unknown, text: string, likelyInvalid?: boolean) => Judgement;

export function eventJudge(judge: SchemaJudge, tolerance: Tolerance = NO_TOLERANCE): EventJudge {
  const tolerated = compileTolerance(tolerance);
  const none: Issue[] = [];
  return (value, text, likelyInvalid) => {
    const custom = customEventId(value);
    if (custom !== undefined) return { custom, errors: none, warnings: none, omitted: 0 };
    const { name, validator } = judge.pick(value);
    const base = name !== undefined ? { schema: name } : {};
    const { errors: found, total } = validator.check(valueForValidation(value, text), MAX_ERRORS_PER_LINE, likelyInvalid);
    if (found.length === 0) return { ...base, errors: none, warnings: none, omitted: 0 };
    const located = locateIssues(text, found);
    const errors = located.filter((i) => !tolerated(i));
    const warnings = located.filter((i) => tolerated(i));
    return { ...base, errors, warnings, omitted: total - found.length };
  };
}
