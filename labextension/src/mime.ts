/**
 * The rendermime extension (package.json `jupyterlab.mimeExtension`): one renderer factory per
 * gankit MIME type. Safe (payload text only ever goes through textContent), so it also renders
 * untrusted notebooks; rank 40 beats the image/png fallback of the same bundle (rank 50 and up).
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { EXPLORER_MIME, IMAGES_MIME, PLOT_MIME, TENSOR_MIME } from './contract';
import { GankitRenderer } from './renderer';

export const RANK = 40;

function extension(id: string, mimeType: string): IRenderMime.IExtension {
  return {
    id: `gankit-labextension:${id}`,
    description: `Renders ${mimeType} outputs.`,
    rank: RANK,
    dataType: 'json',
    rendererFactory: {
      safe: true,
      mimeTypes: [mimeType],
      defaultRank: RANK,
      createRenderer: options => new GankitRenderer(options)
    }
  };
}

const extensions: IRenderMime.IExtension[] = [
  extension('tensor', TENSOR_MIME),
  extension('images', IMAGES_MIME),
  extension('plot', PLOT_MIME),
  extension('explorer', EXPLORER_MIME)
];

export default extensions;
