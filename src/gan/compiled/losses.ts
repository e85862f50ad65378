/**
 * The GAN objectives of ../losses.ts as graph operations, on D's outputs (logits / scores) [n, 1].
 * Each mirrors its tfjs twin op for op, so both modes compute the same numbers.
 */
import type { LossName } from '../losses.js';
import type { GraphBuilder, Out } from './graph.js';

/** mean(x) over every axis of a [n, 1] output. */
const meanAll = (g: GraphBuilder, x: Out) => g.mean(x, [0, 1]);

/**
 * tf.losses.sigmoidCrossEntropy(labels, logits) with the default reduction: the sum of
 * relu(x) - x * label + log1p(exp(-|x|)) divided by the number of values.
 */
function sigmoidCrossEntropy(g: GraphBuilder, logits: Out, label: 0 | 1): Out {
  const [n, k] = g.shape(logits);
  const perValue = g.add(g.sub(g.relu(logits), g.mul(logits, g.scalar(label))), g.log1p(g.exp(g.neg(g.abs(logits)))));
  return g.div(g.sum(perValue, [0, 1]), g.scalar(n! * k!));
}

/** D's loss on its outputs for real and fake images (WGAN-GP: without the penalty). */
export function discriminatorLossGraph(g: GraphBuilder, loss: LossName, real: Out, fake: Out): Out {
  switch (loss) {
    case 'bce': // minimize BCE(D(x), 1) + BCE(D(G(z)), 0)
      return g.add(sigmoidCrossEntropy(g, real, 1), sigmoidCrossEntropy(g, fake, 0));
    case 'lsgan': // minimize 1/2 (D(x) - 1)^2 + 1/2 D(G(z))^2
      return g.mul(g.add(meanAll(g, g.square(g.sub(real, g.scalar(1)))), meanAll(g, g.square(fake))), g.scalar(0.5));
    case 'hinge': // minimize max(0, 1 - D(x)) + max(0, 1 + D(G(z)))
      return g.add(meanAll(g, g.relu(g.sub(g.scalar(1), real))), meanAll(g, g.relu(g.add(g.scalar(1), fake))));
    case 'wgan-gp': // minimize D(G(z)) - D(x)
      return g.sub(meanAll(g, fake), meanAll(g, real));
  }
}

/** G's loss on D's output for its fake images. */
export function generatorLossGraph(g: GraphBuilder, loss: LossName, fake: Out): Out {
  switch (loss) {
    case 'bce': return sigmoidCrossEntropy(g, fake, 1); // the non-saturating loss
    case 'lsgan': return g.mul(meanAll(g, g.square(g.sub(fake, g.scalar(1)))), g.scalar(0.5));
    case 'hinge':
    case 'wgan-gp': return g.neg(meanAll(g, fake)); // maximize D(G(z))
  }
}

/**
 * The WGAN-GP penalty lambda * mean((||grad_xhat D(xhat)||_2 - 1)^2) at xhat = eps x + (1 - eps) G(z),
 * with eps fed from JavaScript (the eager trainer's seeded uniform draw). Needs second-order
 * gradients through D: building it throws when TensorFlow has no gradient for one of them.
 */
export function gradientPenaltyGraph(g: GraphBuilder, critic: (x: Out) => Out, real: Out, fake: Out, eps: Out, lambda: number): Out {
  const xhat = g.add(g.mul(eps, real), g.mul(g.sub(g.scalar(1), eps), fake));
  const score = g.sum(critic(xhat), [0, 1]);
  const [grad] = g.gradients([score], [xhat], 'penalty_grad', [g.scalar(1)]);
  const norm = g.sqrt(g.add(g.sum(g.square(grad!), [1, 2, 3]), g.scalar(1e-12)));
  return g.mul(g.mean(g.square(g.sub(norm, g.scalar(1))), [0]), g.scalar(lambda));
}

/** D(x) / D(G(z)) as logged: mean sigmoid for bce, the mean raw output otherwise. */
export function meanScoreGraph(g: GraphBuilder, loss: LossName, out: Out): Out {
  return meanAll(g, loss === 'bce' ? g.sigmoid(out) : out);
}
