/**
 * Live training view for notebooks: three outputs updated in place while a GanTrainer runs,
 *   - a progress line (global step of total, steps/s, ETA and the latest Loss_D, Loss_G, D(x), D(G(z))),
 *   - the loss curves (Loss_D and Loss_G on the left axis, D(x) and D(G(z)) on the right),
 *   - the latest fixed-noise snapshot grid.
 * All three count the trainer's global step (a resumed run continues from its checkpoint's step).
 * When train() ends early (stop(), the stop button, an error) the progress line and the plot say
 * "stopped" and the ETA is cleared.
 *
 *   await trainer.train(mnist, { steps: 500, snapshotEvery: 50, ...liveTraining(trainer) });
 *
 * Each output is one display handle (display_data once, then throttled update_display_data), so a
 * run of any length leaves exactly three outputs, and the last state is always sent.
 */
import { createDisplay, type DisplayHandle } from '../display/display.js';
import { imageGrid } from '../display/images.js';
import type { RawImage } from '../image/raw.js';
import { plot } from '../display/plot.js';
import { escapeXml, JUPYTER_DISPLAY } from '../display/common.js';
import { QUANTITIES } from '../display/quantities.js';
import * as v from '../util/validate.js';
import type { GanTrainer, Progress, Snapshot, StepRecord, TrainEnd, TrainOptions } from './trainer.js';

export interface LiveTrainingOptions {
  /** Show the progress line (default true). */
  progress?: boolean;
  /** Show the loss curves (default true). */
  losses?: boolean;
  /** Show the fixed-noise snapshot grid (default true). */
  samples?: boolean;
  /** Minimum time between two updates of one output, in ms, 0..60000 (default 500). */
  throttleMs?: number;
  /** Plot y-axis scale for the losses (default 'linear'). */
  scale?: 'linear' | 'log';
  /** Title of the loss plot (default 'Training losses'). */
  title?: string;
}

/** The callbacks to spread into `trainer.train(data, { ...liveTraining(trainer) })`. */
export type LiveTrainingCallbacks = Required<Pick<TrainOptions, 'onStep' | 'onSnapshot' | 'onEpoch' | 'onEnd'>>;

const KEYS = ['progress', 'losses', 'samples', 'throttleMs', 'scale', 'title'];

const fmt = (x: number): string => (Math.abs(x) >= 100 || x === 0 ? x.toFixed(1) : x.toPrecision(3));

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** How the progress line describes the run: still running, or ended (done, or stopped early with the reason). */
export type RunState = 'running' | 'done' | Exclude<TrainEnd['reason'], 'done'>;

const ENDED: Record<Exclude<RunState, 'running'>, string> = {
  done: 'done', stop: 'stopped', signal: 'stopped', interrupt: 'interrupted', error: 'stopped by an error',
};

/**
 * The progress line as text/plain and text/html (a <progress> bar when the total is known). Steps are
 * the trainer's global step: a resumed run shows e.g. "step 268/300" from the checkpoint's 150 on.
 * Once `state` is not 'running' the line says how the run ended and has no ETA.
 */
export function progressBundle(record: StepRecord, progress: Progress, state: RunState = 'running'): Record<string, string> {
  const total = progress.totalSteps !== undefined ? progress.step - progress.done + progress.totalSteps : undefined;
  const q = (key: keyof typeof QUANTITIES) => QUANTITIES[key]!.label;
  const ended = state === 'running' ? '' : state === 'done' ? 'done: ' : `${ENDED[state]} at `;
  const at = total !== undefined
    ? `step ${progress.step}/${total} (${Math.floor((100 * progress.step) / Math.max(1, total))}%)`
    : `step ${progress.step}`;
  const where = `${ended}${at}`;
  const speed = `${progress.stepsPerSecond.toFixed(1)} steps/s`;
  const time = progress.etaSeconds !== undefined && state === 'running'
    ? `elapsed ${duration(progress.elapsedSeconds)}, ETA ${duration(progress.etaSeconds)}`
    : `elapsed ${duration(progress.elapsedSeconds)}`;
  const stats = `${q('lossD')} ${fmt(record.lossD)}  ${q('lossG')} ${fmt(record.lossG)}  ${q('dx')} ${fmt(record.dx)}  ${q('dgz1')} ${fmt(record.dgz1)} / ${fmt(record.dgz2)}`;
  const text = `${where} | ${speed} | ${time} | epoch ${record.epoch} | ${stats}`;
  const bar = total !== undefined ? `<progress value="${progress.step}" max="${Math.max(1, total)}" style="width: 16em; vertical-align: middle"></progress> ` : '';
  // In HTML an early end is a coloured badge in front of the step ("STOPPED step 100/200").
  const badge = state === 'running' || state === 'done' ? escapeXml(ended)
    : `<b class="gankit-progress-state" style="color: var(--jp-warn-color0, #e65100)">${escapeXml(ENDED[state].toUpperCase())}</b> `;
  const html = `<div class="gankit-progress" data-state="${state}" style="font-family: var(--jp-code-font-family, monospace); font-size: 12px">${bar}${badge}${escapeXml(`${at} | ${speed} | ${time}`)}<br>${escapeXml(stats)}</div>`;
  return { 'text/plain': text, 'text/html': html };
}

/** Split a snapshot's NHWC uint8 pixels into one raw image per sample. */
export function snapshotImages(snapshot: Snapshot): RawImage[] {
  const [n, height, width, channels] = snapshot.shape;
  const size = height * width * channels;
  return Array.from({ length: n }, (_, i) => ({ data: snapshot.pixels.subarray(i * size, (i + 1) * size), width, height, channels: channels as RawImage['channels'] }));
}

/** Loss curves of a history: Loss_D, Loss_G (left axis), D(x), D(G(z)) (right axis), with the labels of quantities.ts. */
export function lossSeries(history: readonly StepRecord[]): { series: { name: string; points: [number, number][]; axis: 'y' | 'y2' }[] } {
  const keys = ['lossD', 'lossG', 'dx', 'dgz1'] as const;
  return {
    series: keys.map((k) => ({ name: QUANTITIES[k]!.label, points: history.map((r) => [r.step, r[k]] as [number, number]), axis: QUANTITIES[k]!.side })),
  };
}

/**
 * Live progress, loss curves and fixed-noise grid for `trainer`, updated in place (throttled) from the
 * trainer's callbacks; returns exactly { onStep, onSnapshot, onEpoch, onEnd } to spread into train()'s options.
 */
export function liveTraining(trainer: GanTrainer, options: LiveTrainingOptions = {}): LiveTrainingCallbacks {
  v.options('liveTraining options', options, KEYS);
  const { progress = true, losses = true, samples = true, throttleMs = 500, scale = 'linear', title = 'Training losses' } = options;
  for (const [name, b] of Object.entries({ progress, losses, samples })) v.bool(name, b);
  v.numberIn('throttleMs', throttleMs, 0, 60000);
  v.oneOf('scale', scale, ['linear', 'log'] as const);
  v.string('title', title);

  // Handles are created in display order; each shows itself on its first update.
  const progressView: DisplayHandle | null = progress ? createDisplay({ throttleMs }) : null;
  const lossView: DisplayHandle | null = losses ? createDisplay({ throttleMs }) : null;
  const sampleView: DisplayHandle | null = samples ? createDisplay({ throttleMs }) : null;

  let last: { record: StepRecord; progress: Progress } | null = null;
  return {
    onStep(record, p) {
      last = { record, progress: p };
      const final = p.totalSteps !== undefined && p.done >= p.totalSteps;
      if (progressView) {
        const bundle = progressBundle(record, p);
        progressView.update({ [JUPYTER_DISPLAY]: () => bundle });
      }
      lossView?.update(plot(lossSeries(trainer.history), { title, scale, final }));
    },
    onSnapshot(snapshot) {
      if (!sampleView) return;
      const images = snapshotImages(snapshot);
      sampleView.update(imageGrid(images, { nrow: Math.ceil(Math.sqrt(images.length)), title: `Fixed noise, step ${snapshot.step}` }));
    },
    async onEpoch() {
      await Promise.all([progressView?.flush(), lossView?.flush(), sampleView?.flush()]);
    },
    async onEnd(end) {
      // The final state: "done", or "stopped"/"interrupted" with no ETA; nothing was shown if no step ran.
      if (last) {
        const state: RunState = end.reason === 'done' ? 'done' : end.reason;
        const stopped = state !== 'done';
        if (progressView) {
          const bundle = progressBundle(last.record, last.progress, state);
          progressView.update({ [JUPYTER_DISPLAY]: () => bundle });
        }
        lossView?.update(plot(lossSeries(trainer.history), { title, scale, final: true, stopped }));
      }
      await Promise.all([progressView?.flush(), lossView?.flush(), sampleView?.flush()]);
    },
  };
}
