/**
 * Tiny DOM helpers. Payload text only ever reaches the page through `textContent` or
 * attribute values set with `setAttribute`; nothing here parses HTML.
 */

export interface ElOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
  title?: string;
}

/** Create an element owned by `doc`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElOptions = {},
  children: Node[] = []
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text !== undefined) {
    node.textContent = options.text;
  }
  if (options.title !== undefined) {
    node.setAttribute('title', options.title);
  }
  for (const [k, v] of Object.entries(options.attrs ?? {})) {
    node.setAttribute(k, v);
  }
  for (const c of children) {
    node.appendChild(c);
  }
  return node;
}

/** Set text if it changed (avoids needless layout work on live updates). */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) {
    node.textContent = text;
  }
}

/** Show or hide an element via the `hidden` attribute. */
export function show(node: HTMLElement, visible: boolean): void {
  if (node.hidden === visible) {
    node.hidden = !visible;
  }
}

/**
 * Make `parent` hold exactly `count` children, re-using the existing ones: create missing
 * children with `create`, remove extra ones from the end. Returns the children in order.
 */
export function syncChildren<T extends HTMLElement>(parent: HTMLElement, count: number, create: () => T): T[] {
  while (parent.children.length > count) {
    parent.lastElementChild!.remove();
  }
  while (parent.children.length < count) {
    parent.appendChild(create());
  }
  return Array.from(parent.children) as T[];
}

/** Save a data: URL as a file via a temporary anchor element. */
export function downloadDataUrl(doc: Document, dataUrl: string, filename: string): void {
  const a = doc.createElement('a');
  a.href = dataUrl;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
  }
}

/** `data:image/png;base64,...` for a validated base64 string (validation rules out other characters). */
export function pngDataUrl(base64: string): string {
  return `data:image/png;base64,${base64}`;
}
