/**
 * The quantities gankit plots, with one friendly label each (the same in the live view, full-run
 * plots and the progress line) and the scale group that decides which axis or panel they share:
 * quantities of one group share an axis, different groups never do.
 */

export interface Quantity {
  /** Label shown in legends, axis titles and the progress line. */
  label: string;
  /** Series of one group share an axis; e.g. Loss_D and Loss_G, or D(x) and D(G(z)). */
  group: string;
  /** Default side when the group shares a panel with another group. */
  side: 'y' | 'y2';
}

/** Trainer record keys (StepRecord) and quality metrics (QualityMetrics), by key. */
export const QUANTITIES: Readonly<Record<string, Quantity>> = Object.freeze({
  lossD: { label: 'Loss_D', group: 'loss', side: 'y' },
  lossG: { label: 'Loss_G', group: 'loss', side: 'y' },
  dx: { label: 'D(x)', group: 'D output', side: 'y2' },
  dgz: { label: 'D(G(z))', group: 'D output', side: 'y2' },
  dgz1: { label: 'D(G(z))', group: 'D output', side: 'y2' },
  dgz2: { label: 'D(G(z)) after D step', group: 'D output', side: 'y2' },
  fd: { label: 'fd', group: 'fd', side: 'y' },
  confidence: { label: 'confidence', group: 'confidence', side: 'y2' },
  diversity: { label: 'diversity', group: 'diversity', side: 'y2' },
});

const BY_LABEL = new Map(Object.values(QUANTITIES).map((q) => [q.label, q]));

/** The known quantity named `name` (a record key such as `lossD` or its label `Loss_D`), else undefined. */
export function quantity(name: string): Quantity | undefined {
  return Object.hasOwn(QUANTITIES, name) ? QUANTITIES[name] : BY_LABEL.get(name);
}

/** The friendly label of `name` (`lossD` -> `Loss_D`); unknown names are returned as they are. */
export function quantityLabel(name: string): string {
  return quantity(name)?.label ?? name;
}
