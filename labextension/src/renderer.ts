/**
 * The Lumino widget JupyterLab creates for each gankit output. It owns one view for its MIME
 * type and passes every `renderModel` (first display and each `update_display_data`) to it.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { loadPlotly } from './plotly';
import { loadTfjs } from './tfjs';
import { watchTheme } from './theme';
import { createView, makeDeps, type ViewDeps } from './views';
import type { BaseView } from './views/base';

export class GankitRenderer extends Widget implements IRenderMime.IRenderer {
  readonly mimeType: string;
  readonly view: BaseView<unknown>;

  constructor(options: IRenderMime.IRendererOptions, deps?: Partial<ViewDeps>) {
    super();
    this.mimeType = options.mimeType;
    this.addClass('gankit-renderer');
    const doc = this.node.ownerDocument;
    watchTheme(doc);
    this.view = createView(this.mimeType, makeDeps(doc, { loadPlotly, loadTfjs, ...deps }));
    this.node.appendChild(this.view.node);
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    return this.view.render(model.data[this.mimeType]);
  }

  override dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.view.dispose();
    super.dispose();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.view.attached();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.view.resize();
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.view.resize();
  }
}
