/**
 * GAN objectives on discriminator outputs (logits). Each returns scalar tensors; D's loss is
 * minimised by D, G's by G.
 *   bce   : non-saturating BCE (the PyTorch DCGAN tutorial): real label 1, fake label 0
 *   lsgan : least squares (Mao et al. 2017), targets 1 and 0 on raw outputs
 *   hinge : hinge loss (Lim & Ye 2017; SAGAN)
 *   wgan-gp: Wasserstein loss with gradient penalty (Gulrajani et al. 2017), lambda 10
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Second-order gradients (WGAN-GP) differentiate the gradients of relu/leakyRelu/maximum, which use
 * comparison ops; tfjs 4.22 registers no gradient for Greater, Less, LessEqual, Equal, NotEqual.
 * Comparisons are piecewise constant, so their gradient is zero almost everywhere: register that.
 */
function registerComparisonGradients(): void {
  for (const kernelName of ['Greater', 'Less', 'LessEqual', 'Equal', 'NotEqual']) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as tf.Tensor[];
        return { a: () => tf.zerosLike(a!), b: () => tf.zerosLike(b!) };
      },
    });
  }
}
registerComparisonGradients();

export const LOSSES = ['bce', 'lsgan', 'hinge', 'wgan-gp'] as const;
export type LossName = (typeof LOSSES)[number];

/** D's loss on the real and fake outputs (without the WGAN-GP penalty, which the trainer adds). */
export function discriminatorLoss(loss: LossName, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'bce': // maximize log(D(x)) + log(1 - D(G(z))), i.e. BCE(D(x), 1) + BCE(D(G(z)), 0)
        return tf.add(
          tf.losses.sigmoidCrossEntropy(tf.onesLike(real), real),
          tf.losses.sigmoidCrossEntropy(tf.zerosLike(fake), fake),
        ) as tf.Scalar;
      case 'lsgan':
        return tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))).mul(0.5) as tf.Scalar;
      case 'hinge':
        return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar;
      case 'wgan-gp':
        return tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar;
    }
  });
}

/** G's loss on D's output for the fake batch. */
export function generatorLoss(loss: LossName, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'bce': // maximize log(D(G(z))), i.e. BCE(D(G(z)), 1): the non-saturating loss
        return tf.losses.sigmoidCrossEntropy(tf.onesLike(fake), fake) as tf.Scalar;
      case 'lsgan':
        return tf.mean(tf.square(tf.sub(fake, 1))).mul(0.5) as tf.Scalar;
      case 'hinge':
      case 'wgan-gp':
        return tf.neg(tf.mean(fake)) as tf.Scalar;
    }
  });
}

/**
 * The WGAN-GP penalty: lambda * mean((||grad_xhat D(xhat)||_2 - 1)^2) at random points between real
 * and fake images. Differentiable w.r.t. D's weights (second-order gradients through D).
 */
export function gradientPenalty(
  critic: (x: tf.Tensor4D) => tf.Tensor, real: tf.Tensor4D, fake: tf.Tensor4D, seed: number, lambda = 10,
): tf.Scalar {
  const eps = tf.randomUniform([real.shape[0], 1, 1, 1], 0, 1, 'float32', seed);
  const xhat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor4D;
  const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(xhat);
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), [1, 2, 3]), 1e-12));
  return tf.mul(tf.mean(tf.square(tf.sub(norm, 1))), lambda) as tf.Scalar;
}

/** The mean "probability of real" reported as D(x) / D(G(z)): sigmoid of logits for bce, raw mean otherwise. */
export function meanScore(loss: LossName, out: tf.Tensor): tf.Scalar {
  return tf.tidy(() => (loss === 'bce' ? tf.mean(tf.sigmoid(out)) : tf.mean(out)) as tf.Scalar);
}
