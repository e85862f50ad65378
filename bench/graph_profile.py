"""Replay a compiled gankit training step (GraphDef + feeds from bench/graph-profile.ts) in
TensorFlow's runtime with full tracing; print the step time and the kernel time per op type.
Usage: python bench/graph_profile.py <base path without .pb/.json> <threads>"""
import collections, json, sys, time
import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import config_pb2

base, threads = sys.argv[1], int(sys.argv[2])
graph_def = tf.compat.v1.GraphDef()
graph_def.ParseFromString(open(base + '.pb', 'rb').read())
meta = json.load(open(base + '.json'))
graph = tf.Graph()
with graph.as_default():
    tf.import_graph_def(graph_def, name='')
config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=threads, inter_op_parallelism_threads=threads)
session = tf.compat.v1.Session(graph=graph, config=config)
rng = np.random.default_rng(0)
# Weights N(0, 0.02), Adam moments likewise, accBetas 0.5 (values do not change kernel times).
session.run([op for _, op, _ in meta['init']],
            {feed: (rng.standard_normal(shape) * 0.02).astype(np.float32) if shape else np.float32(0.5) for feed, _, shape in meta['init']})
shape = lambda name: graph.get_tensor_by_name(name).shape.as_list()
feeds = {meta['feeds']['real']: rng.uniform(-1, 1, shape(meta['feeds']['real'])).astype(np.float32),
         meta['feeds']['z']: rng.standard_normal(shape(meta['feeds']['z'])).astype(np.float32)}
fetches = [meta['record'], meta['target']]
for _ in range(5):
    session.run(fetches, feeds)
times = []
for _ in range(21):
    start = time.perf_counter()
    session.run(fetches, feeds)
    times.append((time.perf_counter() - start) * 1000)
print(f'step: median {sorted(times)[10]:.1f} ms over 21 runs ({threads} thread(s))')
options = config_pb2.RunOptions(trace_level=config_pb2.RunOptions.FULL_TRACE)
per_type = collections.defaultdict(lambda: [0, 0.0])
runs = 5
for _ in range(runs):
    metadata = config_pb2.RunMetadata()
    session.run(fetches, feeds, options=options, run_metadata=metadata)
    for device in metadata.step_stats.dev_stats:
        for node in device.node_stats:
            kind = node.timeline_label.split('=')[-1].split('(')[0].strip() if '=' in node.timeline_label else node.node_name
            per_type[kind][0] += 1
            per_type[kind][1] += (node.op_end_rel_micros - node.op_start_rel_micros) / 1000
total = sum(ms for _, ms in per_type.values()) / runs
print(f'kernels per step: {sum(c for c, _ in per_type.values()) // runs}, {total:.1f} ms inside kernels (traced)')
print('| kernel | calls | ms | share |\n| --- | --- | --- | --- |')
for kind, (count, ms) in sorted(per_type.items(), key=lambda kv: -kv[1][1])[:12]:
    print(f'| {kind} | {count // runs} | {ms / runs:.2f} | {100 * ms / runs / total:.0f}% |')
