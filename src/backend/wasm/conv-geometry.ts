/** Shared checks and geometry for gankit's wasm convolution-gradient kernels. */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../../util/errors.js';

/** Attributes of tfjs' Conv2DBackpropFilter and Conv2DBackpropInput kernels. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
}

/** The convolution's geometry for an NHWC input of `xShape` and a [kh, kw, cin, cout] filter; throws on unsupported options. */
export function convGeometry(kernel: string, xShape: number[], filterShape: number[], attrs: ConvGradAttrs): tf.backend_util.Conv2DInfo {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
    throw new GankitError(`${kernel} on wasm supports dataFormat 'NHWC' only, not '${attrs.dataFormat}'`);
  }
  const dil = attrs.dilations ?? 1;
  if ((Array.isArray(dil) ? dil : [dil, dil]).some((d) => d !== 1)) {
    throw new GankitError(`${kernel} on wasm supports dilations 1 only, not ${JSON.stringify(dil)} (tfjs has no gradient of dilated convolutions)`);
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new GankitError(`${kernel} on wasm expects rank-4 input and filter, got shapes ${JSON.stringify(xShape)} and ${JSON.stringify(filterShape)}`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}
