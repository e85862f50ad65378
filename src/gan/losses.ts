/**
 * GAN objectives on discriminator outputs (logits / critic scores). Each returns a scalar that its
 * network minimises:
 *   bce    : the non-saturating GAN loss of the PyTorch DCGAN tutorial (real label 1, fake label 0),
 *            computed from logits with sigmoidCrossEntropy for numerical stability
 *   lsgan  : least squares (Mao et al. 2017), targets 1 and 0 on the raw outputs
 *   hinge  : hinge loss (Lim & Ye 2017; Miyato et al. 2018)
 *   wgan-gp: Wasserstein loss (Arjovsky et al. 2017) plus the gradient penalty (Gulrajani et al. 2017)
 *
 * Second-order gradients (WGAN-GP differentiates a gradient norm) were checked against finite
 * differences on tfjs 4.22, native and cpu backends alike (test/gan/losses.test.ts):
 *   - correct through dense, conv2d ('same' and 'valid', strides 1 and 2), leakyReLU, ReLU, BatchNorm
 *     and LayerNorm, once the missing gradients of comparison ops are registered (below);
 *   - wrong through ops whose gradient reuses their saved output (tanh, sigmoid, elu, exp, softmax):
 *     the engine records the output's clone before the op itself on the tape, so the second-order
 *     term through that output is dropped. gankit's critics use none of these (they end in a logit).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * tfjs 4.22 registers no gradient for Greater, Less, LessEqual, GreaterEqual, Equal, NotEqual, which
 * the gradients of relu / leakyRelu / maximum use; second-order gradients pass through them. They are
 * piecewise constant, so their gradient is zero almost everywhere: register exactly that (only where
 * no gradient is registered yet).
 */
function registerComparisonGradients(): void {
  for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual']) {
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

/** D's loss on its outputs for real and fake images (WGAN-GP: without the penalty, see gradientPenalty). */
export function discriminatorLoss(loss: LossName, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'bce': // maximize log(D(x)) + log(1 - D(G(z))) == minimize BCE(D(x), 1) + BCE(D(G(z)), 0)
        return tf.add(
          tf.losses.sigmoidCrossEntropy(tf.onesLike(real), real),
          tf.losses.sigmoidCrossEntropy(tf.zerosLike(fake), fake),
        ) as tf.Scalar;
      case 'lsgan': // minimize 1/2 (D(x) - 1)^2 + 1/2 D(G(z))^2
        return tf.mul(tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))), 0.5) as tf.Scalar;
      case 'hinge': // minimize max(0, 1 - D(x)) + max(0, 1 + D(G(z)))
        return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar;
      case 'wgan-gp': // maximize D(x) - D(G(z)) == minimize D(G(z)) - D(x)
        return tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar;
    }
  });
}

/** G's loss on D's output for its fake images. */
export function generatorLoss(loss: LossName, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'bce': // maximize log(D(G(z))) == minimize BCE(D(G(z)), 1): the non-saturating loss
        return tf.losses.sigmoidCrossEntropy(tf.onesLike(fake), fake) as tf.Scalar;
      case 'lsgan': // minimize 1/2 (D(G(z)) - 1)^2
        return tf.mul(tf.mean(tf.square(tf.sub(fake, 1))), 0.5) as tf.Scalar;
      case 'hinge':
      case 'wgan-gp': // maximize D(G(z))
        return tf.neg(tf.mean(fake)) as tf.Scalar;
    }
  });
}

/**
 * The WGAN-GP penalty: lambda * mean((||grad_xhat D(xhat)||_2 - 1)^2) at xhat = eps x + (1 - eps) G(z),
 * eps ~ U(0, 1) per image (seeded). Differentiable w.r.t. D's weights (a gradient of a gradient).
 * `critic` maps images to scores; it must be per-sample (no BatchNorm) for the penalty to mean anything.
 */
export function gradientPenalty(
  critic: (x: tf.Tensor4D) => tf.Tensor, real: tf.Tensor4D, fake: tf.Tensor4D, seed: number, lambda = 10,
): tf.Scalar {
  return tf.tidy(() => {
    const eps = tf.randomUniform([real.shape[0], 1, 1, 1], 0, 1, 'float32', seed);
    const xhat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor4D;
    const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(xhat);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), [1, 2, 3]), 1e-12));
    return tf.mul(tf.mean(tf.square(tf.sub(norm, 1))), lambda) as tf.Scalar;
  });
}

/**
 * What the logs call D(x) / D(G(z)): the mean probability of "real" (sigmoid of the logits) for bce,
 * the mean raw output (score) for the other losses.
 */
export function meanScore(loss: LossName, out: tf.Tensor): tf.Scalar {
  return tf.tidy(() => (loss === 'bce' ? tf.mean(tf.sigmoid(out)) : tf.mean(out)) as tf.Scalar);
}
