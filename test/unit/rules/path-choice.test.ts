/**
 * csm-rules' choice of how to make an event (rules/path-choice.ts): on the bytes or by
 * parsing the whole line, by measured time per byte, sampled again as the data goes on.
 */
import { describe, expect, it } from 'vitest';
import { EventWayChoice, type EventWay } from '../../../src/rules/path-choice.js';

/** Runs `lines` lines through the choice with the cost per byte of each way at each line; the ways taken. */
function drive(choice: EventWayChoice, lines: number, cost: (way: EventWay, i: number) => number): EventWay[] {
  const ways: EventWay[] = [];
  for (let i = 0; i < lines; i++) {
    const way = choice.way();
    ways.push(way);
    choice.record(way, choice.timing ? cost(way, i) * 1000 : 0, 1000);
  }
  return ways;
}

const count = (ways: readonly EventWay[], way: EventWay): number => ways.filter((w) => w === way).length;

describe('EventWayChoice', () => {
  it('samples both ways, then keeps the faster one for a run of lines', () => {
    const c = new EventWayChoice();
    const first = drive(c, 64 * 20, () => 1);
    expect(count(first, 'bytes')).toBeGreaterThan(0);
    expect(count(first, 'whole')).toBeGreaterThan(0);
    const c2 = new EventWayChoice();
    const ways = drive(c2, 20_000, (w) => (w === 'whole' ? 1 : 3));
    // After the first sample (warm-up + sample blocks, 64 lines each), the whole parse is kept.
    expect(ways.slice(64 * 20, 64 * 20 + 4096).every((w) => w === 'whole')).toBe(true);
    expect(count(ways, 'whole')).toBeGreaterThan(0.9 * ways.length);
    const c3 = new EventWayChoice();
    const ways3 = drive(c3, 20_000, (w) => (w === 'bytes' ? 1 : 3));
    expect(count(ways3, 'bytes')).toBeGreaterThan(0.9 * ways3.length);
  });

  it('changes its mind when the data does (sampled again after each run)', () => {
    const c = new EventWayChoice();
    // Bytes faster for the first 30,000 lines, the whole parse faster after.
    const ways = drive(c, 200_000, (w, i) => (i < 30_000 ? (w === 'bytes' ? 1 : 3) : w === 'whole' ? 1 : 3));
    expect(count(ways.slice(2000, 30_000), 'bytes')).toBeGreaterThan(0.9 * 28_000);
    expect(count(ways.slice(150_000), 'whole')).toBeGreaterThan(0.9 * 50_000);
  });

  it('keeps sampling at least every 65,536 lines', () => {
    const c = new EventWayChoice();
    const ways = drive(c, 400_000, (w) => (w === 'bytes' ? 1 : 5));
    const lastWhole = ways.lastIndexOf('whole');
    expect(lastWhole).toBeGreaterThan(400_000 - 65_536 - 64 * 12);
  });
});
