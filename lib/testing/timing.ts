// Test helper: how far apart two ways of answering are in time, for flows that must take as long whether or not an
// account exists. Runs alternate, and the gap is the median of each pair's difference (in ms): a burst of other work
// on a shared machine slows both runs of a pair alike, where a difference of two medians would carry it.
import { performance } from "node:perf_hooks";

export async function medianGapMs(a: (i: number) => unknown, b: (i: number) => unknown, runs = 40): Promise<number> {
  const time = async (fn: (i: number) => unknown, i: number) => {
    const t0 = performance.now();
    await fn(i);
    return performance.now() - t0;
  };
  const gaps: number[] = [];
  for (let i = 0; i < runs; i++) gaps.push((await time(a, i)) - (await time(b, i)));
  return Math.abs(gaps.sort((x, y) => x - y)[Math.floor(gaps.length / 2)]!);
}
