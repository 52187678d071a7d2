// `rvos sample <outDir>`: writes a small synthetic Ref-Shapes dataset in the Ref-YouTube-VOS layout.

import { integerOption, stringOption, UsageError, type Command } from './command';
import { WORDINGS, type Wording } from '../core/refshapes/novelWording';
import { count } from './table';

const DEFAULTS = { videos: 12, seed: 1, width: 320, height: 192 };

const help = `usage: rvos sample <outDir> [--videos N] [--seed S] [--width W] [--height H] [--wording training|novel]

Writes a synthetic Ref-Shapes dataset (train split: JPEG frames, palette-PNG annotations, meta.json,
meta_expressions.json) into <outDir>. Same options → same bytes. <outDir> must be absent, empty, or an earlier
Ref-Shapes sample (which is replaced); any other folder is refused, so no file of yours is overwritten.

  --videos N     number of videos (default ${DEFAULTS.videos})
  --seed S       random seed (default ${DEFAULTS.seed})
  --width W      frame width in pixels (default ${DEFAULTS.width})
  --height H     frame height in pixels (default ${DEFAULTS.height})
  --wording W    training (default): the usual expressions; novel: the same clips and referents in
                 templates, synonyms and word orders no training set has (scores language generalisation)
  -h, --help     show this help
`;

function wordingOption(value: string | undefined): Wording | undefined {
  if (value === undefined) return undefined;
  const found = WORDINGS.find((w) => w === value);
  if (!found) throw new UsageError(`--wording expects training or novel, got ${JSON.stringify(value)}`, help);
  return found;
}

export const sampleCommand: Command = {
  name: 'sample',
  summary: `write a synthetic Ref-Shapes dataset (default ${DEFAULTS.videos} videos, ${DEFAULTS.width}×${DEFAULTS.height})`,
  help,
  positionals: 1,
  options: {
    videos: { type: 'string' },
    seed: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    wording: { type: 'string' },
  },
  async run({ positionals, values, stdout, stderr }) {
    const options = {
      videos: integerOption(values, 'videos', DEFAULTS.videos, help),
      seed: integerOption(values, 'seed', DEFAULTS.seed, help),
      width: integerOption(values, 'width', DEFAULTS.width, help),
      height: integerOption(values, 'height', DEFAULTS.height, help),
      wording: wordingOption(stringOption(values, 'wording')),
    };
    const onProgress = process.stderr.isTTY
      ? (done: number, total: number) => stderr(`\rwriting video ${done}/${total}${done === total ? '\n' : ''}`)
      : undefined;
    const { generateRefShapes } = await import('../core/refshapes/generate'); // loads sharp only when needed
    const result = await generateRefShapes(positionals[0], { ...options, onProgress });
    stdout(
      `wrote ${count(result.videos, 'video')}, ${count(result.expressions, 'expression')}, ${count(result.frames, 'frame')} to ${positionals[0]}\n`,
    );
    return 0;
  },
};
