{
  "targets": [
    {
      "target_name": "gankit_alloc",
      "sources": ["src/output_blocks.cc"],
      "cflags!": ["-O2", "-fno-exceptions"],
      "cflags_cc!": ["-O2", "-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wno-cast-function-type"],
      "ldflags": ["-pthread"]
    }
  ]
}
