// Test helper: how far apart two ways of answering are in time (median of alternating runs, in ms), for flows that
// must take as long whether or not an account exists.
import { performance } from "node:perf_hooks";

export async function medianGapMs(a: (i: number) => unknown, b: (i: number) => unknown, runs = 40): Promise<number> {
  const time = async (fn: (i: number) => unknown, i: number) => {
    const t0 = performance.now();
    await fn(i);
    return performance.now() - t0;
  };
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(await time(a, i));
    bs.push(await time(b, i));
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return Math.abs(median(as) - median(bs));
}
