// Symbolic audit of Ref-Shapes expressions (issue 19, ceiling measurements): regenerates clips exactly as `rvos sample`
// does and counts, per category, the expressions whose words can be read as picking out anything but their target
// (src/core/refshapes/readings.ts). Usage:
//   node --import tsx scripts/refshapes-audit.ts --seed 9001 --videos 150 [--width 160 --height 96] [--show 5]
import { parseArgs } from 'node:util';
import { buildClip } from '../src/core/refshapes/clip';
import { auditClip, framesContradicting, type ExpressionAudit } from '../src/core/refshapes/readings';
import { ClipRenderer } from '../src/core/refshapes/render';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '9001' },
    videos: { type: 'string', default: '150' },
    width: { type: 'string', default: '160' },
    height: { type: 'string', default: '96' },
    show: { type: 'string', default: '5' },
  },
});
const [seed, videos, width, height, show] = [values.seed, values.videos, values.width, values.height, values.show].map(
  Number,
);
const renderer = new ClipRenderer(width, height, seed);
const audits: (ExpressionAudit & { frames: number; contradicting: number })[] = [];
for (let i = 0; i < videos; i++) {
  const clip = buildClip(seed, i, renderer);
  auditClip(clip.facts, clip.expressions).forEach((a, k) => {
    const e = clip.expressions[k];
    const frames = clip.facts.find((o) => o.id === e.objId)!.visibleFrames.length;
    audits.push({ ...a, frames, contradicting: framesContradicting(clip.plan, clip.facts, e).length });
  });
}
const categories = [...new Set(audits.map((a) => a.category))].sort();
console.log(`seed ${seed}, ${videos} clips at ${width}×${height}: ${audits.length} expressions`);
for (const category of [...categories, 'all']) {
  const list = audits.filter((a) => category === 'all' || a.category === category);
  const frames = list.reduce((n, a) => n + a.frames, 0);
  const contradicting = list.reduce((n, a) => n + a.contradicting, 0);
  console.log(
    `${category.padEnd(11)} ${String(list.length).padStart(5)} expressions, ${list.filter((a) => a.ambiguous).length} ambiguous; ` +
      `judged per frame: ${list.filter((a) => a.contradicting > 0).length} with a frame that contradicts them, ` +
      `${contradicting} of ${frames} target frames (${((100 * contradicting) / Math.max(1, frames)).toFixed(1)}%)`,
  );
}
for (const a of audits.filter((x) => x.ambiguous).slice(0, show)) {
  console.log(`  "${a.text}" (object ${a.objId}): readings ${a.readings.map((r) => `{${r.join(',')}}`).join(' ')}`);
}
