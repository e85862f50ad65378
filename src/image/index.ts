/** Image I/O, tensor <-> image conversion and torchvision-style grids. Tensors are HWC / NHWC. */
export { decodeImage, loadImage, loadImages, type DecodeImageOptions } from './decode.js';
export { encodeImage, writeImage, type EncodeImageOptions, type WriteImageOptions } from './encode.js';
export { makeGrid, type MakeGridOptions } from './grid.js';
export { saveImage, type SaveImageOptions } from './save.js';
export { tensorToPixels, type TensorToPixelsOptions } from './pixels.js';
export type { RawImage } from './raw.js';
export { formatFromPath, type ChannelCount, type ImageFormat, type ImageRange } from './validate.js';
