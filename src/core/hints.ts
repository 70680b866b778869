/**
 * No silent empty answers: what a run that selected (or validated) nothing
 * most likely got wrong, said in one line at the end. Pure: the line steps
 * mark the lines that look like Datadog envelopes (`envelopeShape`), the run
 * counts them (RunStats), and `emptyRunHint` words the cause and the flag.
 */
import { isJsonObject } from './json/value.js';

/**
 * The Datadog envelope a JSON object looks like, if any: a Logs archive record
 * (`attributes` holds the event) or a Logs/Signals API response (`data` is the
 * list of records).
 */
export function envelopeShape(value: unknown): 'archive' | 'api' | undefined {
  if (!isJsonObject(value)) return undefined;
  if (Object.hasOwn(value, 'data') && Array.isArray(value.data)) return 'api';
  if (Object.hasOwn(value, 'attributes') && isJsonObject(value.attributes)) return 'archive';
  return undefined;
}

/** What the hint reads from a run's counts. */
export interface HintCounts {
  /** Lines that were JSON objects (events or not). */
  objects: number;
  /** Among them: without `evt.name`. */
  withoutName: number;
  /** Among those: Logs archive records, API responses. */
  archive: number;
  api: number;
  /** Agent custom events (they have no evt.name either). */
  custom: number;
}

/**
 * The hint for a run that selected nothing (csm-filter) or found nothing valid
 * (csm-validate): envelopes always; lines without evt.name when the selection
 * was `byKind`; undefined when the lines do not explain the empty answer.
 */
export function emptyRunHint(c: HintCounts, byKind: boolean): string | undefined {
  if (c.objects === 0) return undefined;
  const lines = (n: number, verb: [string, string]): string =>
    c.objects === 1 ? `the only JSON line ${verb[0]}` : `${n} of ${c.objects} JSON lines ${n === 1 ? verb[0] : verb[1]}`;
  if (c.archive > 0 && c.archive >= c.api && c.archive * 2 >= c.objects) {
    return `${lines(c.archive, ['looks', 'look'])} like Datadog Logs archive records (the event is under "attributes"): read them with --input archive (or jq -c .attributes)`;
  }
  if (c.api > 0 && c.api * 2 >= c.objects) {
    return `${lines(c.api, ['looks', 'look'])} like Datadog Logs/Signals API responses (events under data[].attributes.attributes): read them with --input api`;
  }
  const plain = c.withoutName - c.custom;
  // Only a selection by --kind misses them for want of evt.name (csm-validate reports such lines one by one).
  if (byKind && plain > 0 && plain * 2 >= c.objects) {
    return `${lines(plain, ['has', 'have'])} no evt.name, so --kind cannot match ${plain === 1 ? 'it' : 'them'}: are they CSM events? (csm-validate tells; csm-schema kinds lists the kinds)`;
  }
  return undefined;
}
