/** gankit: GAN image generation and image editing on TensorFlow.js and sharp. */
export * from './backend/select.js';
export { GankitError } from './util/errors.js';
export * from './image/index.js';
export * from './data/index.js';
export * from './display/index.js';
export * from './edit/index.js';
export * from './gan/index.js';
export { startWasmBackend } from './backend/wasm/threads.js';
