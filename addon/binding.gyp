{
  "targets": [
    {
      "target_name": "gankit_addon",
      "sources": ["src/addon.cc", "src/warp.cc", "src/pixels.cc", "src/resize.cc", "src/sharpness.cc"],
      "cflags!": ["-O2", "-fno-exceptions"],
      "cflags_cc!": ["-O2", "-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math", "-fexceptions"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
