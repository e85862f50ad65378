/**
 * Training progress on the terminal: a cli-progress bar on a TTY (steps, steps/s, ETA, Loss_D,
 * Loss_G), plain log lines otherwise (about 20 per run, and at least one every `everySeconds`).
 */
import cliProgress from 'cli-progress';
import type { Progress, StepRecord } from '../gan/index.js';

export interface ProgressReporter {
  /** Report one finished step. */
  step(record: StepRecord, progress: Progress): void;
  /** Print a message without breaking the bar. */
  log(message: string): void;
  /** Finish the bar (or the log). */
  stop(): void;
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : String(x));

/** Format seconds as h:mm:ss or m:ss. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One plain log line for a step. */
export function progressLine(record: StepRecord, progress: Progress, targetStep: number): string {
  const eta = progress.etaSeconds === undefined ? '' : ` eta ${formatSeconds(progress.etaSeconds)}`;
  return `step ${record.step}/${targetStep} epoch ${record.epoch} Loss_D ${fmt(record.lossD)} Loss_G ${fmt(record.lossG)} ` +
    `D(x) ${fmt(record.dx)} D(G(z)) ${fmt(record.dgz1)}/${fmt(record.dgz2)} ${progress.stepsPerSecond.toFixed(2)} steps/s${eta}`;
}

/** A reporter for a run from `startStep` to `targetStep` (total steps); a bar when `stream` is a TTY. */
export function createProgressReporter(startStep: number, targetStep: number, stream: NodeJS.WriteStream = process.stderr, everySeconds = 30): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream,
      format: 'train |{bar}| {value}/{total} steps | {rate} steps/s | ETA {etaText} | Loss_D {lossD} Loss_G {lossG}',
      hideCursor: true,
      etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    bar.start(targetStep, startStep, { rate: '0.00', etaText: '?', lossD: '-', lossG: '-' });
    return {
      step(record, progress) {
        bar.update(record.step, {
          rate: progress.stepsPerSecond.toFixed(2),
          etaText: progress.etaSeconds === undefined ? '?' : formatSeconds(progress.etaSeconds),
          lossD: fmt(record.lossD), lossG: fmt(record.lossG),
        });
      },
      log(message) { stream.write(`\n${message}\n`); },
      stop() { bar.stop(); },
    };
  }
  const every = Math.max(1, Math.floor((targetStep - startStep) / 20));
  let lastTime = performance.now();
  return {
    step(record, progress) {
      const now = performance.now();
      if (record.step % every === 0 || record.step === targetStep || now - lastTime > everySeconds * 1000) {
        lastTime = now;
        stream.write(progressLine(record, progress, targetStep) + '\n');
      }
    },
    log(message) { stream.write(message + '\n'); },
    stop() {},
  };
}
