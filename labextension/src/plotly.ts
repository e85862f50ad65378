/**
 * The part of plotly.js the plot view uses, and its lazy loader. The dynamic import makes
 * the bundler put plotly (about 4.7 MB) in its own chunk, fetched only when the first plot
 * is shown. Tests inject a stub with the same shape.
 */
export interface PlotlyLike {
  react(el: HTMLElement, data: object[], layout: object, config?: object): Promise<unknown>;
  purge(el: HTMLElement): void;
  toImage(el: HTMLElement, opts: { format: 'png'; width: number; height: number; scale?: number }): Promise<string>;
  Plots: { resize(el: HTMLElement): unknown };
}

let loading: Promise<PlotlyLike> | null = null;

export function loadPlotly(): Promise<PlotlyLike> {
  if (!loading) {
    loading = import(/* webpackChunkName: "plotly" */ 'plotly.js-dist-min').then(
      m => ((m as unknown as { default?: PlotlyLike }).default ?? m) as unknown as PlotlyLike,
      e => {
        loading = null; // allow a retry on the next plot
        throw e;
      }
    );
  }
  return loading;
}
