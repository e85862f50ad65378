{
  # gankit_tfgraph: a small Node-API binding to TensorFlow's graph C API, linked against the TF C
  # library tfjs-node's binding uses (.cache/libtensorflow, extracted by scripts/build-native.sh).
  # The rpath points at that folder, so both bindings load one and the same libtensorflow_cc.so.2.
  "variables": { "tf_dir%": "<(module_root_dir)/../../.cache/libtensorflow" },
  "targets": [
    {
      "target_name": "gankit_tfgraph",
      "sources": ["src/tfgraph.cc"],
      "include_dirs": ["<(tf_dir)/include"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O2"],
      "libraries": ["<(tf_dir)/lib/libtensorflow_cc.so.2", "<(tf_dir)/lib/libtensorflow_framework.so.2", "-Wl,-rpath,<(tf_dir)/lib"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
