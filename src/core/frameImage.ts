// Frame images (`JPEGImages/<video>/<frame>.jpg`): the size limit and one wording for why a frame cannot be used
// (missing, empty, too large, undecodable), shared by the YOFO preprocessing (which decodes every frame) and the clip
// viewer (which only checks them: the webview decodes the JPEG itself, and a browser draws a truncated JPEG as a
// half-grey picture without any error).

import { open, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { InputError } from './errors';
import { describeFsError } from './json';
import { PNG_MAX_PIXELS } from './png';

/** Frames above this many pixels are refused before decoding (sharp's own default, 268 Mpixel, means 800 MB of RGB). */
export const FRAME_MAX_PIXELS = PNG_MAX_PIXELS;

export interface ImageSize {
  width: number;
  height: number;
}

function tooLarge(size: string): string {
  return `image is ${size}; frames larger than ${FRAME_MAX_PIXELS / 1e6} Mpixel are not supported`;
}

/** The InputError for a frame that sharp (or the file system) failed on; the extra look at the file is paid only then. */
export async function frameImageError(file: string, err: unknown): Promise<InputError> {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || /^Input file is missing/.test(message)) return new InputError(file, 'frame image not found');
  if (code !== undefined) return new InputError(file, describeFsError(err));
  if (/exceeds pixel limit/.test(message)) {
    const size = await sharp(file, { limitInputPixels: false })
      .metadata()
      .then(
        (m) => `${m.width}×${m.height}`,
        () => 'too large',
      );
    return new InputError(file, tooLarge(size));
  }
  if ((await stat(file).catch(() => undefined))?.size === 0)
    return new InputError(file, 'empty file (0 bytes); not an image');
  return new InputError(file, `cannot decode frame image: ${message}`);
}

/** True when the file ends with a JPEG end-of-image marker (FF D9), as every complete JPEG written by an encoder does. */
async function endsWithEndOfImage(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const tail = Buffer.alloc(2);
    await handle.read(tail, 0, 2, size - 2);
    return tail[0] === 0xff && tail[1] === 0xd9;
  } finally {
    await handle.close();
  }
}

/**
 * Checks that a frame image can be shown, mostly without decoding it: the file, its header (format, size limit) and,
 * for a JPEG, the end-of-image marker. A JPEG without that marker (a partial download) is decoded to tell a truncated
 * file from one with trailing bytes. Returns the image size; an InputError names the file and the problem.
 */
export async function checkFrameImage(file: string): Promise<ImageSize> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(file, 'is a folder, expected a file');
    if (info.size === 0) throw new InputError(file, 'empty file (0 bytes); not an image');
    const meta = await sharp(file, { limitInputPixels: FRAME_MAX_PIXELS }).metadata();
    if (meta.width * meta.height > FRAME_MAX_PIXELS)
      throw new InputError(file, tooLarge(`${meta.width}×${meta.height}`));
    if (meta.format === 'jpeg' && !(await endsWithEndOfImage(file, info.size))) {
      await sharp(file, { failOn: 'error', limitInputPixels: FRAME_MAX_PIXELS }).raw().toBuffer();
    }
    return { width: meta.width, height: meta.height };
  } catch (err) {
    throw err instanceof InputError ? err : await frameImageError(file, err);
  }
}
