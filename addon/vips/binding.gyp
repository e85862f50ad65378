{
  "targets": [
    {
      "target_name": "gankit_vips",
      "sources": ["src/vips_addon.cc", "src/point_image.cc", "src/point_pipeline.cc", "src/whole_image.cc"],
      "include_dirs": ["../src", "<!@(node libvips.cjs include)"],
      "libraries": ["-L<!(node libvips.cjs libdir)", "-l:<!(node libvips.cjs lib)"],
      "cflags!": ["-O2", "-fno-exceptions"],
      "cflags_cc!": ["-O2", "-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math", "-fexceptions"],
      "ldflags": ["-pthread", "-Wl,--disable-new-dtags", "-Wl,-rpath='<!(node libvips.cjs rpath)'"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
