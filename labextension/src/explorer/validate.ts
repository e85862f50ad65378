/**
 * Validation of `application/vnd.gankit.explorer.v1+json` payloads. The generator arrives as data
 * (a tfjs layers topology and base64 weights) that only tfjs' layer deserialiser interprets; before
 * it gets there every field is checked against EXPLORER_LIMITS, every layer class against the
 * allowlist, and the topology is rewritten so that weight creation is bounded (see guardTopology).
 */
import { EXPLORER_LAYER_CLASSES, EXPLORER_LIMITS, type ExplorerPayload } from '../contract';
import { arr, int, invalid, is, num, obj, PayloadError, str, version } from '../validate';

/**
 * The initializer keys each allowed layer class reads (tfjs' pythonic config names). guardTopology
 * sets every one of them to the guard initializer, so no default initializer can allocate unchecked.
 */
export const INITIALIZER_KEYS: Record<(typeof EXPLORER_LAYER_CLASSES)[number], readonly string[]> = {
  InputLayer: [],
  Dense: ['kernel_initializer', 'bias_initializer'],
  Conv2D: ['kernel_initializer', 'bias_initializer'],
  Conv2DTranspose: ['kernel_initializer', 'bias_initializer'],
  DepthwiseConv2D: ['depthwise_initializer', 'bias_initializer'],
  BatchNormalization: ['beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer'],
  LayerNormalization: ['beta_initializer', 'gamma_initializer'],
  Embedding: ['embeddings_initializer'],
  Activation: [],
  ReLU: [],
  LeakyReLU: [],
  ELU: [],
  PReLU: ['alpha_initializer'],
  Softmax: [],
  Reshape: [],
  Flatten: [],
  Concatenate: [],
  Add: [],
  Multiply: [],
  Average: [],
  Dropout: [],
  UpSampling2D: [],
  ZeroPadding2D: [],
  Cropping2D: [],
  Permute: [],
  MaxPooling2D: [],
  AveragePooling2D: []
};

/** Activation names a layer config may use (tfjs built-ins). */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax', 'softplus', 'softsign',
  'swish', 'mish', 'gelu', 'gelu_new'
] as const;

/** Class name of the guard initializer guardTopology puts in place of every initializer. */
export const GUARD_CLASS = 'GankitExplorerGuard';

/** Base64 characters of `bytes` bytes. */
const base64Chars = (bytes: number): number => 4 * Math.ceil(bytes / 3);

const MAX_DEPTH = 16;

/** Walk a config value: finite numbers, bounded strings and arrays, no objects naming a class (`class_name`). */
function checkConfigValue(v: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) {
    throw invalid(path, `config nested at most ${MAX_DEPTH} levels`, v);
  }
  if (v === null || typeof v === 'boolean') {
    return;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Math.abs(v) > 1e9) {
      throw invalid(path, 'finite number of magnitude <= 1e9', v);
    }
    return;
  }
  if (typeof v === 'string') {
    str(v, path, 200);
    return;
  }
  if (is.array(v)) {
    arr(v, path, EXPLORER_LIMITS.layers * 4).forEach((x, i) => checkConfigValue(x, `${path}[${i}]`, depth + 1));
    return;
  }
  if (is.object(v)) {
    if ('class_name' in v) {
      throw invalid(path, 'plain configuration data (no nested class)', v);
    }
    for (const [k, x] of Object.entries(v)) {
      checkConfigValue(x, `${path}.${k}`, depth + 1);
    }
    return;
  }
  throw invalid(path, 'JSON value', v);
}

/** Check one layer (class allowlist, config data, activation names) and return a copy with guarded initializers. */
function guardLayer(v: unknown, path: string, loadId: number): Record<string, unknown> {
  const layer = obj(v, path);
  const cls = layer.class_name;
  if (!is.string(cls) || !(EXPLORER_LAYER_CLASSES as readonly string[]).includes(cls)) {
    throw invalid(`${path}.class_name`, `an allowed layer class (${EXPLORER_LAYER_CLASSES.join(', ')})`, cls);
  }
  const config = { ...obj(layer.config, `${path}.config`) };
  for (const k of Object.keys(config)) {
    // Initializers, regularizers and constraints name classes: initializers are replaced by the guard,
    // regularizers and constraints only matter for training and are dropped.
    if (k.endsWith('_initializer') || k.endsWith('_regularizer') || k.endsWith('_constraint')) {
      config[k] = null;
    }
  }
  if ('activation' in config && config.activation !== null && !(ACTIVATIONS as readonly unknown[]).includes(config.activation)) {
    throw invalid(`${path}.config.activation`, `an activation name (${ACTIVATIONS.join(', ')})`, config.activation);
  }
  if (cls === 'InputLayer' && config.dtype !== undefined && config.dtype !== 'float32' && config.dtype !== 'int32') {
    throw invalid(`${path}.config.dtype`, '"float32" or "int32"', config.dtype);
  }
  checkConfigValue(config, `${path}.config`, 0);
  for (const k of INITIALIZER_KEYS[cls as keyof typeof INITIALIZER_KEYS]) {
    config[k] = { class_name: GUARD_CLASS, config: { load: loadId } };
  }
  for (const k of Object.keys(config)) {
    if (config[k] === null && (k.endsWith('_initializer') || k.endsWith('_regularizer') || k.endsWith('_constraint'))) {
      delete config[k];
    }
  }
  const out: Record<string, unknown> = { class_name: cls, config };
  for (const k of ['name', 'inbound_nodes'] as const) {
    if (layer[k] !== undefined) {
      checkConfigValue(layer[k], `${path}.${k}`, 0);
      out[k] = layer[k];
    }
  }
  return out;
}

/**
 * The topology tfjs gets: checked (class Model or Sequential, at most EXPLORER_LIMITS.layers allowed
 * layers, plain config data) and rebuilt with every initializer set to the guard of load `loadId`.
 */
export function guardTopology(topology: Record<string, unknown>, loadId: number): Record<string, unknown> {
  const cls = topology.class_name;
  if (cls !== 'Model' && cls !== 'Sequential' && cls !== 'Functional') {
    throw invalid('model.topology.class_name', '"Model", "Functional" or "Sequential"', cls);
  }
  const config = obj(topology.config, 'model.topology.config');
  const layers = arr(config.layers, 'model.topology.config.layers', EXPLORER_LIMITS.layers);
  if (layers.length === 0) {
    throw invalid('model.topology.config.layers', 'non-empty array of layers', layers);
  }
  const out: Record<string, unknown> = {
    name: str(config.name ?? 'generator', 'model.topology.config.name', 200),
    layers: layers.map((l, i) => guardLayer(l, `model.topology.config.layers[${i}]`, loadId))
  };
  for (const k of ['input_layers', 'output_layers'] as const) {
    if (config[k] !== undefined) {
      checkConfigValue(config[k], `model.topology.config.${k}`, 0);
      out[k] = config[k];
    }
  }
  return { class_name: cls, config: out };
}

function vectors(v: unknown, path: string, count: [number, number], dim: number): number[][] {
  const a = arr(v, path, count[1]);
  if (a.length < count[0]) {
    throw invalid(path, `array of ${count[0]} to ${count[1]} vectors`, a);
  }
  return a.map((row, i) => {
    const r = arr(row, `${path}[${i}]`, dim);
    if (r.length !== dim) {
      throw invalid(`${path}[${i}]`, `array of latentDim = ${dim} numbers`, r);
    }
    return r.map((x, j) => num(x, `${path}[${i}][${j}]`));
  });
}

/** Check an explorer payload; throws PayloadError naming the field and the limit. */
export function validateExplorer(data: unknown): ExplorerPayload {
  const o = obj(data, 'payload');
  version(o.version);
  const m = obj(o.model, 'model');
  const topology = obj(m.topology, 'model.topology');
  // The topology's size bounds the work of checking it.
  const topologyChars = JSON.stringify(topology).length;
  if (topologyChars > EXPLORER_LIMITS.topologyChars) {
    throw new PayloadError(`Generator too large: its topology has ${topologyChars} characters of JSON, the limit is ${EXPLORER_LIMITS.topologyChars}`);
  }
  guardTopology(topology, 0);
  let elements = 0;
  const weightSpecs = arr(m.weightSpecs, 'model.weightSpecs', EXPLORER_LIMITS.weightTensors).map((e, i) => {
    const p = `model.weightSpecs[${i}]`;
    const so = obj(e, p);
    if (so.dtype !== 'float32') {
      throw invalid(`${p}.dtype`, '"float32"', so.dtype);
    }
    const shape = arr(so.shape, `${p}.shape`, 8).map((d, j) => int(d, `${p}.shape[${j}]`, 1, EXPLORER_LIMITS.tensorElements, 'positive integer'));
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > EXPLORER_LIMITS.tensorElements) {
      throw new PayloadError(`Generator too large: weight ${p} has ${n} elements, the limit is ${EXPLORER_LIMITS.tensorElements}`);
    }
    elements += n;
    return { name: str(so.name, `${p}.name`, 200), shape, dtype: 'float32' as const };
  });
  if (elements * 4 > EXPLORER_LIMITS.weightBytes) {
    throw new PayloadError(`Generator too large: ${elements * 4} bytes of weights, the limit is ${EXPLORER_LIMITS.weightBytes}`);
  }
  const weights = str(m.weights, 'model.weights', base64Chars(EXPLORER_LIMITS.weightBytes));
  if (weights.length !== base64Chars(elements * 4) || !is.base64(weights)) {
    throw invalid('model.weights', `base64 of ${elements * 4} bytes (the weightSpecs' float32 values)`, weights);
  }
  const latentDim = int(o.latentDim, 'latentDim', 1, EXPLORER_LIMITS.latentDim, 'integer');
  const im = obj(o.image, 'image');
  const channels = im.channels;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw invalid('image.channels', '1, 3 or 4', channels);
  }
  const r = arr(im.range, 'image.range', 2);
  const range: [number, number] = [num(r[0], 'image.range[0]'), num(r[1], 'image.range[1]')];
  if (!(range[0] < range[1])) {
    throw invalid('image.range', '[low, high] with low < high', r);
  }
  const image: ExplorerPayload['image'] = {
    width: int(im.width, 'image.width', 1, EXPLORER_LIMITS.imageSide, 'integer'),
    height: int(im.height, 'image.height', 1, EXPLORER_LIMITS.imageSide, 'integer'),
    channels: channels as 1 | 3 | 4,
    range
  };
  const interpolation = o.interpolation;
  if (interpolation !== 'spherical' && interpolation !== 'linear') {
    throw invalid('interpolation', '"spherical" or "linear"', interpolation);
  }
  const truncation = o.truncation === null ? null : num(o.truncation, 'truncation');
  if (truncation !== null && !(truncation > 0 && truncation <= 4)) {
    throw invalid('truncation', 'number in (0, 4] or null', truncation);
  }
  const spread = num(o.spread, 'spread');
  if (!is.inRange(spread, 0, 2)) {
    throw invalid('spread', 'number in [0, 2]', spread);
  }
  const generatorName = str(o.generatorName, 'generatorName', 64);
  if (!/^[A-Za-z_$][\w$]*$/.test(generatorName)) {
    throw invalid('generatorName', 'a JavaScript identifier', generatorName);
  }
  const result: ExplorerPayload = {
    version: 1,
    model: { topology, weightSpecs, weights },
    latentDim,
    image,
    anchors: vectors(o.anchors, 'anchors', [4, 4], latentDim),
    seed: int(o.seed, 'seed', -(2 ** 31), 2 ** 31, 'integer'),
    directions: vectors(o.directions, 'directions', [0, EXPLORER_LIMITS.directions], latentDim),
    samples: int(o.samples, 'samples', 1, EXPLORER_LIMITS.samples, 'integer'),
    spread,
    truncation,
    interpolation,
    generatorName
  };
  if (o.classes !== undefined) {
    const classes = arr(o.classes, 'classes', EXPLORER_LIMITS.classes).map((c, i) => str(c, `classes[${i}]`, 200));
    if (classes.length === 0) {
      throw invalid('classes', 'non-empty array of class names', classes);
    }
    result.classes = classes;
    result.label = int(o.label ?? 0, 'label', 0, classes.length - 1, 'integer class index');
  }
  if (o.title !== undefined) {
    result.title = str(o.title, 'title');
  }
  return result;
}
