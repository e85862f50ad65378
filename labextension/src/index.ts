/** gankit JupyterLab extension: `extension` (application plugin) and `mimeExtension` (renderers). */
export { default as extension } from './plugin';
export { default as mimeExtension } from './mime';
export * from './contract';
