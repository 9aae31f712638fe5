import { describe, expect, it } from 'vitest';
import {
  addLook,
  confidenceSequence,
  emptyShiftState,
  logEvidenceAbove,
  logEvidenceBelow,
  type ShiftState,
} from '../../../src/analysis/shift-e-process.js';
import { binomial, createRandom } from '../../../bench/gate/random.js';

/** Conditional binomial looks: canary's share of bad events, equal exposure. */
function sequence(rnd: () => number, looks: number, p: number, perLook = 20): ShiftState {
  let s = emptyShiftState();
  for (let i = 0; i < looks; i++)
    s = addLook(s, { bad: binomial(perLook, p, rnd), trials: perLook, offset: 0 });
  return s;
}

describe('shift e-process', () => {
  it('holds no evidence before data, and its interval is the whole line', () => {
    const s = emptyShiftState();
    expect(logEvidenceAbove(s, 0)).toBe(0);
    expect(confidenceSequence(s, 0.01)).toEqual({ lower: -Infinity, upper: Infinity });
  });

  it('ignores looks without trials or with an infinite offset', () => {
    const s = emptyShiftState();
    expect(addLook(s, { bad: 0, trials: 0, offset: 0 })).toBe(s);
    expect(addLook(s, { bad: 1, trials: 2, offset: Infinity })).toBe(s);
  });

  it('keeps the false-alarm rate under alpha over every look (Ville)', () => {
    const rnd = createRandom(7);
    const alpha = 0.05;
    let crossed = 0;
    const runs = 800;
    for (let r = 0; r < runs; r++) {
      let s = emptyShiftState();
      for (let look = 0; look < 20; look++) {
        s = addLook(s, { bad: binomial(20, 0.5, rnd), trials: 20, offset: 0 });
        if (logEvidenceAbove(s, 0) >= Math.log(1 / alpha)) {
          crossed++;
          break;
        }
      }
    }
    expect(crossed / runs).toBeLessThanOrEqual(alpha);
  });

  it('gathers evidence against H0 when the canary share is higher, and not the other way', () => {
    const s = sequence(createRandom(3), 10, 0.75);
    expect(logEvidenceAbove(s, 0)).toBeGreaterThan(Math.log(100));
    expect(logEvidenceBelow(s, 0)).toBeLessThan(0);
  });

  it('respects the tolerance: a ratio of 3 is not evidence against "at most 4 times"', () => {
    const s = sequence(createRandom(5), 20, 0.75);
    expect(logEvidenceAbove(s, Math.log(4))).toBeLessThan(Math.log(10));
  });

  it('gives a confidence sequence that covers the true log-ratio and narrows with data', () => {
    const truth = Math.log(0.75 / 0.25);
    const short = confidenceSequence(sequence(createRandom(11), 3, 0.75), 0.01);
    const long = confidenceSequence(sequence(createRandom(11), 40, 0.75), 0.01);
    expect(long.lower).toBeLessThan(truth);
    expect(long.upper).toBeGreaterThan(truth);
    expect(long.upper - long.lower).toBeLessThan(short.upper - short.lower);
  });
});
