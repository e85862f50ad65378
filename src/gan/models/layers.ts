/**
 * gankit's one custom layer, registered with tf.serialization so saved models load.
 *
 * SampleNorm is layer normalisation over all of one sample's features (H, W and C for conv maps, as
 * in Gulrajani et al.'s WGAN-GP critic), with a per-channel scale and offset. tfjs-layers'
 * LayerNormalization computes the same thing but tiles its statistics, and tf.tile's gradient is
 * one slice and add per repetition: thousands of kernels per step for a 7 x 7 x 64 map, and more
 * again through the second-order gradients of WGAN-GP (about 5 s per step instead of 0.1 s). This
 * layer broadcasts instead; its gradients of gradients are checked in test/gan/losses.test.ts.
 */
import * as tf from '@tensorflow/tfjs';

export interface SampleNormArgs {
  name?: string;
  /** Added to the variance, > 0 (default 1e-5, PyTorch's). */
  epsilon?: number;
  gammaInitializer?: ReturnType<typeof tf.initializers.randomNormal> | 'ones';
  trainable?: boolean;
}

/** Layer normalisation over every axis but the batch axis, per-channel gamma and beta (output shape = input shape). */
export class SampleNorm extends tf.layers.Layer {
  static className = 'GankitSampleNorm';
  private readonly epsilon: number;
  private readonly gammaInit: SampleNormArgs['gammaInitializer'];
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  constructor(args: SampleNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
    this.gammaInit = args.gammaInitializer ?? 'ones';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [channels], 'float32', typeof this.gammaInit === 'string' ? tf.initializers.ones() : this.gammaInit);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
      const centred = tf.sub(x, tf.mean(x, axes, true));
      const variance = tf.mean(tf.square(centred), axes, true);
      const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gamma!.read()), this.beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(SampleNorm);
