import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { openDataset } from '../../src/core/dataset';
import { InputError } from '../../src/core/errors';
import { decodeIndexMask } from '../../src/core/png';
import { Rng } from '../../src/core/random';
import { COLOR_NAMES, SHAPES } from '../../src/core/refshapes/attributes';
import { buildClip, type Clip } from '../../src/core/refshapes/clip';
import { generateRefShapes, MARKER_FILE } from '../../src/core/refshapes/generate';
import type { ObjectFacts } from '../../src/core/refshapes/facts';
import { matches, matchesBase } from '../../src/core/refshapes/meaning';
import { NOVEL_LEXICON, novelText } from '../../src/core/refshapes/novelWording';
import { allWordings, auditClip, framesContradicting } from '../../src/core/refshapes/readings';
import { ClipRenderer } from '../../src/core/refshapes/render';
import { describe as describeMeaning, SHAPE_WORDS, SIZE_WORDS } from '../../src/core/refshapes/wording';

const SEED = 11;
const W = 96;
const H = 64;
const VIDEOS = 3;

interface MetaExpressions {
  videos: Record<
    string,
    { expressions: Record<string, { exp: string; obj_id: string; category: string }>; frames: string[] }
  >;
}
interface Meta {
  videos: Record<string, { objects: Record<string, { category: string; frames: string[] }> }>;
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const p = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(root, p)));
    else out.push(p);
  }
  return out.sort();
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

let tmp: string;
let outA: string;
let metaExp: MetaExpressions;
let meta: Meta;
let clips: Clip[];

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'refshapes-'));
  outA = path.join(tmp, 'a');
  const progress: number[] = [];
  const result = await generateRefShapes(outA, {
    videos: VIDEOS,
    seed: SEED,
    width: W,
    height: H,
    onProgress: (done) => progress.push(done),
  });
  assert.deepEqual(progress, [1, 2, 3]);
  metaExp = await readJson(path.join(outA, 'meta_expressions/train/meta_expressions.json'));
  meta = await readJson(path.join(outA, 'train/meta.json'));
  const renderer = new ClipRenderer(W, H, SEED);
  clips = [];
  for (let i = 0; i < VIDEOS; i++) {
    const c = buildClip(SEED, i, renderer);
    clips.push({ ...c, rendered: { rgb: [], masks: [], visiblePixels: [], inFramePixels: [] } }); // buffers are reused
  }
  assert.equal(result.videos, VIDEOS);
  assert.equal(
    result.expressions,
    clips.reduce((n, c) => n + c.expressions.length, 0),
  );
  assert.equal(
    result.frames,
    clips.reduce((n, c) => n + c.plan.frames.length, 0),
  );
});

after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('Ref-Shapes output layout', () => {
  test('Ref-YouTube-VOS train layout, JSON shapes, marker and frame names', async () => {
    assert.deepEqual((await readdir(outA)).sort(), ['meta_expressions', MARKER_FILE, 'train'].sort());
    const marker = await readJson<Record<string, unknown>>(path.join(outA, MARKER_FILE));
    assert.equal(marker.generator, 'ref-shapes');
    assert.deepEqual([marker.videos, marker.seed, marker.width, marker.height], [VIDEOS, SEED, W, H]);
    const vids = Object.keys(metaExp.videos);
    assert.equal(vids.length, VIDEOS);
    assert.deepEqual(Object.keys(meta.videos), vids);
    for (const vid of vids) {
      assert.match(vid, /^[0-9a-f]{10}$/);
      const v = metaExp.videos[vid];
      assert.ok(v.frames.length >= 12 && v.frames.length <= 24, `${vid}: ${v.frames.length} frames`);
      assert.equal(v.frames[0], '00000');
      for (const f of v.frames) assert.match(f, /^\d{5}$/);
      for (let i = 1; i < v.frames.length; i++) assert.ok(Number(v.frames[i]) > Number(v.frames[i - 1]));
      assert.deepEqual(
        (await readdir(path.join(outA, 'train/JPEGImages', vid))).sort(),
        v.frames.map((f) => `${f}.jpg`),
      );
      assert.deepEqual(
        (await readdir(path.join(outA, 'train/Annotations', vid))).sort(),
        v.frames.map((f) => `${f}.png`),
      );
      const keys = Object.keys(v.expressions);
      assert.deepEqual(
        keys,
        keys.map((_, i) => String(i)),
      );
      for (const e of Object.values(v.expressions)) {
        assert.equal(typeof e.exp, 'string');
        assert.equal(typeof e.obj_id, 'string');
        assert.ok(['appearance', 'position', 'relation', 'motion'].includes(e.category));
      }
      const objects = meta.videos[vid].objects;
      const ids = Object.keys(objects);
      assert.ok(ids.length >= 3 && ids.length <= 6);
      for (const o of Object.values(objects)) {
        assert.ok((SHAPES as readonly string[]).includes(o.category));
        for (const f of o.frames) assert.ok(v.frames.includes(f));
      }
      const jpeg = await sharp(path.join(outA, 'train/JPEGImages', vid, `${v.frames[0]}.jpg`)).metadata();
      assert.deepEqual([jpeg.format, jpeg.width, jpeg.height, jpeg.channels], ['jpeg', W, H, 3]);
    }
  });

  test('annotations are palette PNGs of object ids that agree with meta.json frames', async () => {
    for (const [vid, v] of Object.entries(metaExp.videos)) {
      const objects = meta.videos[vid].objects;
      for (const e of Object.values(v.expressions))
        assert.ok(e.obj_id in objects, `${vid}: obj_id ${e.obj_id} not in meta.json`);
      for (const frame of v.frames) {
        const file = path.join(outA, 'train/Annotations', vid, `${frame}.png`);
        const bytes = await readFile(file);
        assert.equal(bytes[25], 3, 'colour type 3 (palette)');
        const mask = decodeIndexMask(bytes, file);
        assert.deepEqual([mask.width, mask.height], [W, H]);
        const present = new Set(mask.data);
        present.delete(0);
        for (const id of present) assert.ok(String(id) in objects, `${file}: unknown id ${id}`);
        for (const [id, o] of Object.entries(objects)) {
          assert.equal(
            present.has(Number(id)),
            o.frames.includes(frame),
            `${vid}/${frame}: object ${id} presence vs meta.json`,
          );
        }
      }
      // Every annotated object is visible somewhere, and expressions cover every object.
      for (const [id, o] of Object.entries(objects)) {
        assert.ok(o.frames.length >= 2, `${vid}: object ${id} visible in ${o.frames.length} frames`);
        assert.ok(
          Object.values(v.expressions).some((e) => e.obj_id === id),
          `${vid}: object ${id} has no expression`,
        );
      }
    }
  });

  test('the dataset loader opens the output without problems', async () => {
    const ds = await openDataset(outA);
    assert.equal(ds.split, 'train');
    assert.ok(ds.hasAnnotations);
    assert.deepEqual(ds.problems, []);
    assert.deepEqual(
      ds.videos.map((v) => v.id),
      Object.keys(metaExp.videos),
    );
    const first = ds.videos[0];
    assert.deepEqual(first.frames, metaExp.videos[first.id].frames);
    assert.deepEqual(
      first.expressions.map((e) => [e.text, e.objId, e.category]),
      Object.values(metaExp.videos[first.id].expressions).map((e) => [e.exp, e.obj_id, e.category]),
    );
  });

  test('the written expressions are the planned ones, and each refers to exactly its object', () => {
    const vids = Object.keys(metaExp.videos);
    clips.forEach((clip, i) => {
      const written = Object.values(metaExp.videos[vids[i]].expressions);
      assert.deepEqual(
        written.map((e) => [e.exp, e.obj_id, e.category]),
        clip.expressions.map((e) => [e.text, String(e.objId), e.meaning.category]),
      );
      assert.deepEqual(
        Object.fromEntries(clip.facts.map((o) => [String(o.id), o.visibleFrames.map((f) => clip.plan.frames[f])])),
        Object.fromEntries(Object.entries(meta.videos[vids[i]].objects).map(([id, o]) => [id, o.frames])),
      );
      for (const e of clip.expressions) {
        for (const o of clip.facts) {
          assert.equal(matches(e.meaning, o, clip.facts), o.id === e.objId, `"${e.text}" vs object ${o.id}`);
        }
      }
    });
  });
});

describe('Ref-Shapes novel wording (held-out lexicon)', () => {
  test('same clips, objects and categories as the default wording; every text is one training never says', async () => {
    const outNovel = path.join(tmp, 'novel');
    await generateRefShapes(outNovel, { videos: VIDEOS, seed: SEED, width: W, height: H, wording: 'novel' });
    const novel = await readJson<MetaExpressions>(path.join(outNovel, 'meta_expressions/train/meta_expressions.json'));
    assert.deepEqual(
      await readFile(path.join(outNovel, 'train/meta.json')),
      await readFile(path.join(outA, 'train/meta.json')),
    );
    assert.deepEqual(Object.keys(novel.videos), Object.keys(metaExp.videos));
    assert.equal((await readJson<{ wording: string }>(path.join(outNovel, MARKER_FILE))).wording, 'novel');
    clips.forEach((clip, i) => {
      const vid = Object.keys(novel.videos)[i];
      const written = Object.values(novel.videos[vid].expressions);
      assert.deepEqual(
        written.map((e) => [e.obj_id, e.category]),
        clip.expressions.map((e) => [String(e.objId), e.meaning.category]),
      );
      clip.expressions.forEach((e, k) => {
        assert.equal(written[k].exp, novelText(SEED, i, k, e.meaning, new Set(written.slice(0, k).map((w) => w.exp))));
        assert.notEqual(written[k].exp, e.text);
      });
      assert.equal(new Set(written.map((e) => e.exp)).size, written.length);
    });
  });

  test('novel texts never coincide with a training wording and still refer to their target alone', () => {
    const renderer = new ClipRenderer(64, 48, 77);
    for (let i = 0; i < 25; i++) {
      const clip = buildClip(77, i, renderer);
      const used = new Set<string>();
      const reworded = clip.expressions.map((e, k) => {
        const text = novelText(77, i, k, e.meaning, used);
        used.add(text);
        assert.ok(!allWordings(e.meaning).has(text), `"${text}" is a training wording`);
        assert.ok(allWordings(e.meaning, NOVEL_LEXICON).has(text), `"${text}" is not a novel wording of its meaning`);
        return { ...e, text };
      });
      for (const a of auditClip(clip.facts, reworded, NOVEL_LEXICON)) assert.deepEqual(a.readings, [[a.objId]], a.text);
    }
  });
});

describe('Ref-Shapes determinism and safety', () => {
  test('same seed → identical bytes; another seed → different data', async () => {
    const outB = path.join(tmp, 'b');
    await generateRefShapes(outB, { videos: VIDEOS, seed: SEED, width: W, height: H });
    const files = await listFiles(outA);
    assert.deepEqual(await listFiles(outB), files);
    for (const f of files)
      assert.ok((await readFile(path.join(outA, f))).equals(await readFile(path.join(outB, f))), `${f} differs`);

    const outC = path.join(tmp, 'c');
    await generateRefShapes(outC, { videos: VIDEOS, seed: SEED + 1, width: W, height: H });
    const other = await readJson<MetaExpressions>(path.join(outC, 'meta_expressions/train/meta_expressions.json'));
    assert.notDeepEqual(Object.keys(other.videos), Object.keys(metaExp.videos));
    assert.notDeepEqual(
      Object.values(other.videos).map((v) => v.expressions),
      Object.values(metaExp.videos).map((v) => v.expressions),
    );
  });

  test('refuses a non-empty foreign folder and leaves it untouched', async () => {
    const foreign = path.join(tmp, 'foreign');
    await mkdir(foreign);
    await writeFile(path.join(foreign, 'notes.txt'), 'mine');
    await assert.rejects(generateRefShapes(foreign, { videos: 1, seed: 1, width: 64, height: 48 }), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.file, foreign);
      assert.match(err.message, /not a Ref-Shapes output/);
      return true;
    });
    assert.deepEqual(await readdir(foreign), ['notes.txt']);
    assert.equal(await readFile(path.join(foreign, 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual(
      (await readdir(tmp)).filter((e) => e.includes('refshapes-tmp')),
      [],
      'no temp folder left behind',
    );

    const file = path.join(tmp, 'plain-file');
    await writeFile(file, 'x');
    await assert.rejects(generateRefShapes(file, { videos: 1, seed: 1, width: 64, height: 48 }), InputError);
    const bad = { videos: 1, seed: 1, width: 64, height: 48, wording: 'poetic' as 'novel' };
    await assert.rejects(generateRefShapes(path.join(tmp, 'never'), bad), /--wording/);
  });

  test('replaces its own earlier output (and an empty folder), but not one with files added', async () => {
    const dir = path.join(tmp, 'again');
    await mkdir(dir);
    await generateRefShapes(dir, { videos: 2, seed: 3, width: 64, height: 48 });
    await generateRefShapes(dir, { videos: 1, seed: 4, width: 64, height: 48 });
    const marker = await readJson<{ videos: number; seed: number }>(path.join(dir, MARKER_FILE));
    assert.deepEqual([marker.videos, marker.seed], [1, 4]);
    assert.equal((await readdir(path.join(dir, 'train/JPEGImages'))).length, 1);
    assert.deepEqual(
      (await readdir(tmp)).filter((e) => e.includes('refshapes-')),
      [],
    );

    await writeFile(path.join(dir, 'predictions.txt'), 'user data');
    await assert.rejects(generateRefShapes(dir, { videos: 1, seed: 5, width: 64, height: 48 }), /refusing to replace/);
    assert.ok((await stat(path.join(dir, 'predictions.txt'))).isFile());
  });

  test('bad options are input errors naming the option', async () => {
    const dir = path.join(tmp, 'never');
    for (const [opts, name] of [
      [{ videos: 0, seed: 1, width: 64, height: 48 }, '--videos'],
      [{ videos: 1.5, seed: 1, width: 64, height: 48 }, '--videos'],
      [{ videos: 1, seed: -1, width: 64, height: 48 }, '--seed'],
      [{ videos: 1, seed: 1, width: 8, height: 48 }, '--width'],
      [{ videos: 1, seed: 1, width: 64, height: Number.NaN }, '--height'],
    ] as const) {
      await assert.rejects(
        generateRefShapes(dir, opts),
        (err: unknown) => err instanceof InputError && err.file === name,
      );
    }
    await assert.rejects(stat(dir));
  });
});

describe('Ref-Shapes scenes and expressions over a larger batch', () => {
  const renderer = new ClipRenderer(64, 48, 99);
  const batch = Array.from({ length: 40 }, (_, i) => {
    const c = buildClip(99, i, renderer);
    return {
      plan: c.plan,
      facts: c.facts,
      expressions: c.expressions,
      absentFrames: c.facts.some((o) => o.visibleFrames.length < c.plan.frames.length),
    };
  });
  const all = batch.flatMap((c) => c.expressions);

  test('motion is at least a quarter of all expressions and every category is well represented', () => {
    const share = (cat: string) => all.filter((e) => e.meaning.category === cat).length / all.length;
    assert.ok(share('motion') >= 0.25, `motion share ${share('motion')}`);
    for (const cat of ['appearance', 'position', 'relation'])
      assert.ok(share(cat) >= 0.1, `${cat} share ${share(cat)}`);
  });

  test('every expression refers uniquely, says its attributes, and non-appearance ones need more than appearance', () => {
    for (const c of batch) {
      for (const e of c.expressions) {
        assert.deepEqual(
          c.facts.filter((o) => matches(e.meaning, o, c.facts)).map((o) => o.id),
          [e.objId],
          e.text,
        );
        const { base } = e.meaning;
        const words = e.text.split(/\s+/);
        if (base.color) assert.ok(words.includes(base.color), `"${e.text}" should say ${base.color}`);
        for (const colour of COLOR_NAMES)
          if (colour !== base.color && !(e.meaning.category === 'relation' && e.meaning.relation.kind === 'spatial'))
            assert.ok(!words.includes(colour), `"${e.text}" says ${colour}`);
        if (base.shape)
          assert.ok(
            SHAPE_WORDS[base.shape].some(([s, p]) => e.text.includes(s) || e.text.includes(p)),
            `"${e.text}" should name a ${base.shape}`,
          );
        if (base.size)
          assert.ok(
            SIZE_WORDS[base.size].some((s) => words.includes(s)),
            `"${e.text}" should say ${base.size}`,
          );
        if (e.meaning.category !== 'appearance') {
          assert.ok(
            c.facts.filter((o) => matchesBase(base, o)).length >= 2,
            `"${e.text}": appearance alone would already decide`,
          );
        }
      }
      // Texts are distinct within a clip.
      assert.equal(new Set(c.expressions.map((e) => e.text)).size, c.expressions.length);
    }
  });

  test('no expression can be read as picking out anything but its target (symbolic audit of the words)', () => {
    for (const c of batch) {
      for (const a of auditClip(c.facts, c.expressions)) {
        assert.ok(!a.ambiguous, `"${a.text}" (object ${a.objId}) reads as ${JSON.stringify(a.readings)}`);
        assert.deepEqual(a.readings, [[a.objId]], a.text);
      }
    }
  });

  test('per-frame judgement: only position and relation can be contradicted, and only on frames showing the target', () => {
    let contradicted = 0;
    for (const c of batch) {
      for (const e of c.expressions) {
        const frames = framesContradicting(c.plan, c.facts, e);
        const visible = c.facts.find((o) => o.id === e.objId)!.visibleFrames;
        if (e.meaning.category === 'appearance' || e.meaning.category === 'motion')
          assert.deepEqual(frames, [], e.text);
        assert.ok(
          frames.every((f) => visible.includes(f)),
          e.text,
        );
        // a still target among still objects keeps its positions: its mean is every frame's position
        const allStill = c.facts.every((o) => o.motion === 'still');
        if (allStill) assert.deepEqual(frames, [], e.text);
        contradicted += frames.length;
      }
    }
    assert.ok(
      contradicted > 0,
      'movers cross each other in some clips: some frame should contradict a clip-level position',
    );
  });

  test('allWordings covers every text describe samples for the generated meanings', () => {
    const rng = new Rng(5, 'wording-coverage');
    for (const e of all.slice(0, 120)) {
      const texts = allWordings(e.meaning);
      assert.ok(texts.has(e.text), `"${e.text}" missing from its meaning's wordings`);
      for (let i = 0; i < 5; i++) {
        const text = describeMeaning(rng, e.meaning);
        assert.ok(texts.has(text), `"${text}" missing from its meaning's wordings`);
      }
    }
  });

  test('every object has a distractor sharing its shape or colour; motions are as observed', () => {
    for (const c of batch) {
      for (const o of c.facts) {
        assert.ok(
          c.facts.some((p) => p.id !== o.id && (p.shape === o.shape || p.color === o.color)),
          `object ${o.id} has no distractor`,
        );
        assert.equal(o.motion, c.plan.objects.find((p) => p.id === o.id)!.motion);
      }
    }
    const motions = new Set(batch.flatMap((c) => c.facts.map((o) => o.motion)));
    assert.deepEqual([...motions].sort(), ['bouncing', 'down', 'left', 'right', 'still', 'up']);
  });

  test('frame steps vary and some objects enter or leave the frame', () => {
    const steps = new Set(batch.flatMap((c) => c.plan.times.slice(1).map((t, i) => t - c.plan.times[i])));
    assert.ok(steps.has(5) && [...steps].some((s) => s !== 5), `steps ${[...steps]}`);
    assert.ok(
      batch.some((c) => c.absentFrames),
      'no object is ever absent',
    );
  });
});

describe('Ref-Shapes symbolic audit', () => {
  const object = (id: number, shape: ObjectFacts['shape'], color: ObjectFacts['color'], x: number): ObjectFacts => ({
    id,
    shape,
    color,
    size: 'medium',
    radius: 0.11,
    x,
    y: 0.5,
    motion: 'still',
    speed: null,
    visibleFrames: [0, 1, 2],
  });

  test('flags a text that two objects satisfy, and a leftmost that holds for one', () => {
    const facts = [object(1, 'circle', 'red', 0.2), object(2, 'circle', 'red', 0.8), object(3, 'square', 'blue', 0.5)];
    const [twoCircles, leftmost, square] = auditClip(facts, [
      {
        objId: 1,
        text: 'the red circle',
        meaning: { category: 'appearance', base: { shape: 'circle', color: 'red' } },
      },
      {
        objId: 1,
        text: 'the leftmost circle',
        meaning: { category: 'position', base: { shape: 'circle' }, position: { kind: 'extreme', side: 'left' } },
      },
      { objId: 3, text: 'the square', meaning: { category: 'appearance', base: { shape: 'square' } } },
    ]);
    assert.equal(twoCircles.ambiguous, true);
    assert.deepEqual(twoCircles.readings, [[1, 2]]);
    assert.equal(leftmost.ambiguous, false);
    assert.deepEqual(leftmost.readings, [[1]]);
    assert.deepEqual(square.readings, [[3]]);
  });

  test('flags a synonym shared by two meanings', () => {
    // "box" names a square; a square and a ring (another noun) of the same colour: "the blue box" must read as the square only.
    const facts = [object(1, 'square', 'blue', 0.2), object(2, 'ring', 'blue', 0.8)];
    const [box] = auditClip(facts, [
      { objId: 1, text: 'the blue box', meaning: { category: 'appearance', base: { shape: 'square', color: 'blue' } } },
    ]);
    assert.deepEqual(box.readings, [[1]]);
    const [blue] = auditClip(facts, [
      { objId: 1, text: 'the blue one', meaning: { category: 'appearance', base: { color: 'blue' } } },
    ]);
    assert.equal(blue.ambiguous, true);
  });
});

describe('Rng', () => {
  test('deterministic by seed parts, integers in range, shuffle is a permutation', () => {
    const a = new Rng(1, 'x');
    const b = new Rng(1, 'x');
    const c = new Rng(1, 'y');
    const sa = Array.from({ length: 50 }, () => a.uint32());
    assert.deepEqual(
      Array.from({ length: 50 }, () => b.uint32()),
      sa,
    );
    assert.notDeepEqual(
      Array.from({ length: 50 }, () => c.uint32()),
      sa,
    );
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = a.int(-2, 3);
      assert.ok(Number.isInteger(v) && v >= -2 && v <= 3);
      seen.add(v);
      const f = a.float();
      assert.ok(f >= 0 && f < 1);
    }
    assert.equal(seen.size, 6);
    const items = Array.from({ length: 20 }, (_, i) => i);
    assert.deepEqual(
      [...a.shuffle([...items])].sort((x, y) => x - y),
      items,
    );
    assert.match(a.hex(10), /^[0-9a-f]{10}$/);
    assert.equal(a.weighted(['a', 'b'], [0, 1]), 'b');
    assert.throws(() => a.int(3, 2), RangeError);
  });
});
