/** Helpers for display tests: PNG decoding, a fake kernel bridge, tensor-leak checks. */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { setKernelBridge, InterruptedError, type DisplayContent, type KernelBridge } from '../../src/display/index.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Check the PNG signature and decode with sharp; returns size and raw pixels. */
export async function png(b64: unknown): Promise<{ width: number; height: number; channels: number; data: Buffer }> {
  assert.equal(typeof b64, 'string', 'base64 PNG string');
  assert.doesNotMatch(b64 as string, /^data:/, 'no data: prefix');
  const buf = Buffer.from(b64 as string, 'base64');
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature');
  const meta = await sharp(buf).metadata();
  // sharp decodes greyscale to sRGB by default: keep grey as one channel for pixel checks.
  const pipeline = meta.channels === 1 ? sharp(buf).toColourspace('b-w') : sharp(buf);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: meta.channels ?? info.channels, data };
}

/** Run `fn` and assert it leaves tf.memory().numTensors unchanged. */
export async function noLeak<T>(fn: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  assert.equal(tf.memory().numTensors, before, 'tensor count unchanged');
  return out;
}

export interface FakeKernel {
  messages: { content: DisplayContent; update: boolean }[];
  settle(): Promise<unknown[]>;
  /** Abort the current execution's signal (as an interrupt does). */
  interrupt(): void;
  /** Start a new execution with a fresh signal (as the next cell after an interrupt gets). */
  nextExecution(): void;
  uninstall(): void;
}

/** Install a bridge that records what the library would send to the kernel. */
export function fakeKernel(): FakeKernel {
  const messages: FakeKernel['messages'] = [];
  const work: Promise<unknown>[] = [];
  let ctrl = new AbortController();
  const bridge: KernelBridge = {
    version: 1,
    publish(content, update) { messages.push({ content, update }); },
    track(p) { work.push(p); },
    signal: () => ctrl.signal,
  };
  const prev = setKernelBridge(bridge);
  return {
    messages,
    async settle() {
      const errors: unknown[] = [];
      while (work.length) for (const r of await Promise.allSettled(work.splice(0))) if (r.status === 'rejected') errors.push(r.reason);
      return errors;
    },
    interrupt() { ctrl.abort(new InterruptedError()); },
    nextExecution() { ctrl = new AbortController(); },
    uninstall() { setKernelBridge(prev); },
  };
}
