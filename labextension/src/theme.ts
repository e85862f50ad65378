/** Light/dark theme detection and plotly colours taken from JupyterLab's CSS variables. */
import { themeChanged } from './settings';

let observer: MutationObserver | null = null;

/** Watch `<body data-jp-theme-light>` (set by JupyterLab's theme manager) once per page. */
export function watchTheme(doc: Document): void {
  const MO = doc.defaultView?.MutationObserver;
  if (observer || !MO || !doc.body) {
    return;
  }
  observer = new MO(() => {
    themeChanged.set(themeChanged.value + 1);
    // Theme CSS may finish applying a moment after the attribute flips: read colours again.
    doc.defaultView?.setTimeout(() => themeChanged.set(themeChanged.value + 1), 300);
  });
  observer.observe(doc.body, { attributes: true, attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name'] });
}

export function isDarkTheme(doc: Document): boolean {
  return doc.body?.getAttribute('data-jp-theme-light') === 'false';
}

function cssVar(node: Element, name: string, fallback: string): string {
  const view = node.ownerDocument.defaultView;
  const v = view?.getComputedStyle ? view.getComputedStyle(node).getPropertyValue(name).trim() : '';
  return v || fallback;
}

export interface PlotTheme {
  dark: boolean;
  paper: string;
  plot: string;
  font: string;
  fontFamily: string;
  grid: string;
  line: string;
  colorway: string[];
}

/** Plot colours for the current theme, from the JupyterLab CSS variables at `node`. */
export function plotTheme(node: Element): PlotTheme {
  const dark = isDarkTheme(node.ownerDocument);
  return {
    dark,
    paper: cssVar(node, '--jp-layout-color0', dark ? '#111111' : '#ffffff'),
    plot: cssVar(node, '--jp-layout-color0', dark ? '#111111' : '#ffffff'),
    font: cssVar(node, '--jp-ui-font-color1', dark ? '#e0e0e0' : '#212121'),
    // JupyterLab's UI font with CJK fallbacks (style/index.css), so Chinese titles and legends render.
    fontFamily: cssVar(node, '--gankit-font-family', 'system-ui, sans-serif'),
    grid: cssVar(node, '--jp-border-color2', dark ? '#3a3a3a' : '#e0e0e0'),
    line: cssVar(node, '--jp-border-color1', dark ? '#616161' : '#bdbdbd'),
    colorway: dark
      ? ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8', '#a1887f', '#f06292', '#bdbdbd']
      : ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']
  };
}
