/**
 * Which way csm-rules makes a line's event, chosen from measurement at run time: on the
 * bytes (sparse-events.ts: only what the rules read, made when read) or by parsing the
 * whole line (JSON.parse). Both give the same verdicts (test/unit/rules/
 * engine-differential.test.ts); which is faster depends on the data: JSON.parse is fast on
 * regular agent events of few shapes and slow on varied ones, where the byte pass wins.
 *
 * Lines are judged in blocks of BLOCK lines, the two ways taking turns while sampling; the
 * way with the smaller time per byte (median of its blocks) is then kept for a run of
 * lines, after which both are sampled again (the data may change); runs double in length
 * (early choices are the least sure; four times when one way is 1.5x faster). The first blocks warm the code up and are not
 * counted. Pure: the caller measures the time.
 */
export type EventWay = 'bytes' | 'whole';

const BLOCK = 64;
/** Blocks per sample (half each way), after WARM blocks not counted. */
const SAMPLE_BLOCKS = 12;
const WARM_BLOCKS = 8;
/** Lines judged the chosen way before sampling again: FIRST_RUN, doubling up to MAX_RUN (early choices are the least sure; four times when one way is 1.5x faster). */
const FIRST_RUN = 4096;
const MAX_RUN = 65_536;

export class EventWayChoice {
  private chosen: EventWay = 'bytes';
  /** Lines left in the current block / run; which block of the sample this is. */
  private left = BLOCK;
  private block = 0;
  private sampling = true;
  private warm = WARM_BLOCKS;
  private readonly times: Record<EventWay, number[]> = { bytes: [], whole: [] };
  private acc = { ms: 0, bytes: 0 };
  private run = FIRST_RUN;

  /** The way to judge the next line. */
  way(): EventWay {
    return this.sampling ? (this.block % 2 === 0 ? 'bytes' : 'whole') : this.chosen;
  }

  /** Whether the next line's time is wanted (`record` it). */
  get timing(): boolean {
    return this.sampling;
  }

  /** The line judged `way` took `ms` for `bytes` bytes (only while `timing`). */
  record(way: EventWay, ms: number, bytes: number): void {
    if (this.sampling) {
      this.acc.ms += ms;
      this.acc.bytes += bytes;
    }
    if (--this.left > 0) return;
    this.left = BLOCK;
    if (!this.sampling) {
      this.sampling = true;
      this.block = 0;
      return;
    }
    if (this.warm > 0) this.warm--;
    else this.times[way].push(this.acc.ms / Math.max(1, this.acc.bytes));
    this.acc = { ms: 0, bytes: 0 };
    this.block++;
    if (this.warm === 0 && this.times.bytes.length + this.times.whole.length >= SAMPLE_BLOCKS) this.decide();
  }

  private decide(): void {
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Infinity;
    const [whole, bytes] = [median(this.times.whole), median(this.times.bytes)];
    this.chosen = whole < bytes ? 'whole' : 'bytes';
    // A wide margin (1.5x) is sure enough to sample four times less often, a narrow one twice.
    const growth = Math.max(whole, bytes) >= 1.5 * Math.min(whole, bytes) ? 4 : 2;
    this.times.bytes = [];
    this.times.whole = [];
    this.sampling = false;
    this.left = this.run;
    this.run = Math.min(MAX_RUN, this.run * growth);
  }
}
