/**
 * The lazy loader of TensorFlow.js for the latent explorer. The dynamic import makes the bundler
 * put tfjs in its own chunk, fetched only when the first explorer is shown (as plotly for plots).
 * Backends in order of preference: webgl where the browser offers WebGL, else the pure-JS cpu
 * backend; the chosen one and the reason the others were passed over are reported.
 */
export type Tfjs = typeof import('@tensorflow/tfjs');

export interface TfjsRuntime {
  tf: Tfjs;
  /** The active backend: 'webgl' or 'cpu'. */
  backend: string;
  /** Why backends above it were not used (empty when the first one worked). */
  skipped: string[];
}

/** Backends tried in order; the first that initialises is used. */
export const BACKENDS = ['webgl', 'cpu'] as const;

let loading: Promise<TfjsRuntime> | null = null;

async function start(tf: Tfjs): Promise<TfjsRuntime> {
  const skipped: string[] = [];
  for (const name of BACKENDS) {
    if (!tf.findBackendFactory(name)) {
      skipped.push(`${name}: not registered`);
      continue;
    }
    // setBackend resolves false when the backend cannot start here (e.g. no WebGL context).
    if (await tf.setBackend(name)) {
      await tf.ready();
      return { tf, backend: name, skipped };
    }
    skipped.push(`${name}: could not initialise`);
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}

/** Load tfjs once and start a backend; a failed load is retried on the next call. */
export function loadTfjs(): Promise<TfjsRuntime> {
  if (!loading) {
    loading = import(/* webpackChunkName: "tfjs" */ '@tensorflow/tfjs').then(start).catch(e => {
      loading = null;
      throw e;
    });
  }
  return loading;
}
