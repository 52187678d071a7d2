// Child process of bench/benchmarks.ts (a fresh process, so memory is this work's alone): opens a MeViS split the way
// the extension does and shows the first frame of a multi-object expression.
//   node --import tsx bench/lib/mevisTrainOpen.ts <root> <split>
// Prints one JSON line: {openMs, openCpuMs, firstFrameMs, firstFrameCpuMs, objects, rssMB, heapMB, videos, lists}
// (CPU times say what the work costs when the machine is shared and wall times stretch).

import { openBenchmarkDataset } from '../../src/core/benchmarks';
import { MevisMaskReader } from '../../src/core/benchmarks/mevis/objectMasks';

async function main(): Promise<void> {
  const [root, split] = process.argv.slice(2);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const ds = await openBenchmarkDataset(root, { split });
  const openMs = performance.now() - t0;
  const openCpu = process.cpuUsage(c0);
  const video = ds.videos[0];
  const expression = video.expressions.find((e) => (e.annoIds?.length ?? 0) > 1) ?? video.expressions[0];
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const masks = await new MevisMaskReader(ds.maskDict!).objectMasks(video, expression, 0);
  const firstFrameMs = performance.now() - t1;
  const frameCpu = process.cpuUsage(c1);
  const { rss, heapUsed } = process.memoryUsage();
  console.log(
    JSON.stringify({
      openMs,
      openCpuMs: (openCpu.user + openCpu.system) / 1000,
      firstFrameMs,
      firstFrameCpuMs: (frameCpu.user + frameCpu.system) / 1000,
      objects: masks.length,
      rssMB: rss / 2 ** 20,
      heapMB: heapUsed / 2 ** 20,
      videos: ds.videos.length,
      lists: Object.keys(ds.maskDict!.lists).length,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
