/** The wasm backend's own kernels that gankit replaced, kept for fallbacks and comparisons. */
import * as tf from '@tensorflow/tfjs';

const builtins = new Map<string, tf.KernelConfig>();
const setUp = new Set<string>();

/** Remember the wasm backend's config for `kernelName` (the first one seen wins). */
export function keepBuiltin(config: tf.KernelConfig): void {
  if (!builtins.has(config.kernelName)) builtins.set(config.kernelName, config);
}

/** The wasm backend's own kernel function gankit replaced, set up on the wasm backend; undefined when none was replaced. */
export function builtinWasmKernel(kernelName: string): tf.KernelFunc | undefined {
  const config = builtins.get(kernelName);
  if (!config) return undefined;
  if (config.setupFunc && !setUp.has(kernelName)) {
    const backend = tf.findBackend('wasm');
    if (backend) {
      config.setupFunc(backend); // binds its wasm function (again): safe, and needed if it was replaced before the backend started
      setUp.add(kernelName);
    }
  }
  return config.kernelFunc;
}
