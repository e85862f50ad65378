/**
 * The small CNN classifier behind gankit's quality metric: 28x28x1 images in [-1, 1] (a generator's
 * range) -> conv 32 -> pool -> conv 64 -> pool -> conv 48 -> dense 128 ('features') -> softmax 10.
 * About 103k weights (413 KB as float32), so its TF.js Layers files stay small enough to commit.
 */
import * as tf from '@tensorflow/tfjs';

/** Name of the penultimate layer whose 128 ReLU activations are the metric's features. */
export const FEATURE_LAYER = 'features';

/** Length of a feature vector. */
export const FEATURE_DIM = 128;

/** Number of classes the classifiers predict. */
export const NUM_CLASSES = 10;

/** The image shape the classifiers take: [height, width, channels]. */
export const CLASSIFIER_INPUT_SHAPE = [28, 28, 1] as const;

/** Build the (untrained, seeded) classifier, compiled with Adam (lr in (0, 1]) and categorical cross-entropy. */
export function buildClassifier(seed: number, lr = 1e-3): tf.LayersModel {
  let k = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed * 16 + k++ });
  const model = tf.sequential({
    name: 'gankit_classifier',
    layers: [
      tf.layers.conv2d({ inputShape: [...CLASSIFIER_INPUT_SHAPE], filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(), name: 'conv1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(), name: 'conv2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.conv2d({ filters: 48, kernelSize: 3, activation: 'relu', kernelInitializer: init(), name: 'conv3' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: FEATURE_DIM, activation: 'relu', kernelInitializer: init(), name: FEATURE_LAYER }),
      tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init(), name: 'probs' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
