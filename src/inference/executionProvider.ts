// Chooses onnxruntime execution providers for the `rvos.inference.executionProvider` setting (auto | cuda | cpu).
// onnxruntime-node ships its CUDA provider as separate shared libraries that its install script downloads; this
// project's .npmrc skips that download, so CUDA is only tried when those libraries are actually present.

import { existsSync } from 'node:fs';
import * as path from 'node:path';

export type ExecutionProviderSetting = 'auto' | 'cuda' | 'cpu';

export const EXECUTION_PROVIDER_SETTINGS: readonly ExecutionProviderSetting[] = ['auto', 'cuda', 'cpu'];

/** How GPU users opt in (also in the README, "GPU inference"). */
export const CUDA_OPT_IN =
  "install onnxruntime-node's CUDA 12 provider: run `npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12` " +
  'in the extension folder (needs CUDA 12 and cuDNN 9 on the machine)';

/** Path of onnxruntime-node's CUDA provider library for this platform, or undefined where it has none. */
export function cudaProviderLibrary(): string | undefined {
  const file =
    process.platform === 'linux'
      ? 'libonnxruntime_providers_cuda.so'
      : process.platform === 'win32'
        ? 'onnxruntime_providers_cuda.dll'
        : undefined;
  if (!file || process.arch !== 'x64') return undefined;
  try {
    const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch, file);
  } catch {
    return undefined;
  }
}

export function isCudaInstalled(): boolean {
  const lib = cudaProviderLibrary();
  return lib !== undefined && existsSync(lib);
}

export interface ProviderPlan {
  /** Provider lists to try in order, e.g. [['cuda', 'cpu'], ['cpu']]. */
  attempts: string[][];
  /** Shown to the user when the CPU is used although `auto` would have liked a GPU, or why CUDA can't be used. */
  cpuNotice?: string;
}

export function planProviders(setting: ExecutionProviderSetting, cudaInstalled = isCudaInstalled()): ProviderPlan {
  if (setting === 'cpu') return { attempts: [['cpu']] };
  if (setting === 'cuda') {
    if (!cudaInstalled)
      throw new Error(
        `the CUDA execution provider is not installed; ${CUDA_OPT_IN}, or set rvos.inference.executionProvider to "cpu" or "auto"`,
      );
    return { attempts: [['cuda']] };
  }
  if (!cudaInstalled) {
    return {
      attempts: [['cpu']],
      cpuNotice: `YOFO runs on the CPU (the CUDA execution provider is not installed; to use an NVIDIA GPU, ${CUDA_OPT_IN})`,
    };
  }
  return {
    attempts: [['cuda', 'cpu'], ['cpu']],
    cpuNotice: 'YOFO runs on the CPU: the CUDA execution provider failed to start',
  };
}
