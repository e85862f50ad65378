import { EXPLORER_MIME, IMAGES_MIME, PLOT_MIME, TENSOR_MIME } from '../contract';
import type { BaseView, ViewDeps } from './base';
import { ExplorerView } from './explorer';
import { ImagesView } from './images';
import { PlotView } from './plot';
import { TensorView } from './tensor';

export { makeDeps, type ViewDeps } from './base';
export { ExplorerView, ImagesView, PlotView, TensorView };

export const MIME_TYPES = [TENSOR_MIME, IMAGES_MIME, PLOT_MIME, EXPLORER_MIME] as const;

/** The view for a gankit MIME type. */
export function createView(mimeType: string, deps: ViewDeps): BaseView<unknown> {
  switch (mimeType) {
    case TENSOR_MIME:
      return new TensorView(deps) as BaseView<unknown>;
    case IMAGES_MIME:
      return new ImagesView(deps) as BaseView<unknown>;
    case PLOT_MIME:
      return new PlotView(deps) as BaseView<unknown>;
    case EXPLORER_MIME:
      return new ExplorerView(deps) as BaseView<unknown>;
    default:
      throw new Error(`gankit: no view for MIME type ${mimeType}`);
  }
}
