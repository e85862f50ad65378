/**
 * Rich display for notebooks: MIME bundles for tensors, image grids, loss curves and models (the display
 * contract in docs/display.md), display()/live handles, and cooperative interruption of long-running loops.
 */
export * from './types.js';
export { tensorBundle, tensorStats, type TensorBundleOptions } from './tensor.js';
export {
  imagesBundle, imageGrid, ImageGrid, composeGrid,
  type ImagesBundleOptions, type ImagesInput, type GridImage, type GridPixels, type DisplayRange,
} from './images.js';
export {
  plotBundle, plot, Plot, isSeriesLike, toSeries, lttb, minMaxBuckets,
  type PlotBundleOptions, type SeriesInput, type Point,
} from './plot.js';
export { modelBundle } from './model.js';
export {
  richBundle, normalizeBundle, isSelfDisplaying, tensorView, TensorView,
  type RichOutput, type SelfDisplaying,
} from './rich.js';
export {
  display, createDisplay, flushDisplays, DisplayHandle, showTensor, showImages, showPlot, showModel,
  type DisplayOptions,
} from './display.js';
export { JUPYTER_DISPLAY, isTensor, isLayersModel } from './common.js';
export { kernelSignal, shouldStop, checkInterrupt, onInterrupt, interruptAll, InterruptedError } from './interrupt.js';
export { inKernel, kernelBridge, setKernelBridge, BRIDGE_KEY, type KernelBridge, type DisplayContent } from './bridge.js';
