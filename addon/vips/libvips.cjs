// Where sharp's prebuilt libvips lives, for binding.gyp: `node libvips.cjs <what>` prints one of
// include (header folders), libdir, lib (the versioned shared library file name) or rpath (run-time
// search path: relative to the built addon in this repository's layout, then the resolved folder).
// Exits non-zero when sharp's libvips or the headers (@img/sharp-libvips-dev) are missing.
'use strict';
const { existsSync, readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const platform = `${process.platform}-${process.arch}`;
const pkg = `@img/sharp-libvips-${platform}`;
const root = join(__dirname, '..', '..');
// Both packages export their folder as `<package>/lib` and `<package>/include` (index.js: module.exports = __dirname).
const libdir = dirname(require.resolve(`${pkg}/lib`, { paths: [root] }));
const include = dirname(require.resolve('@img/sharp-libvips-dev/include', { paths: [root] }));
const lib = readdirSync(libdir).find((f) => /^libvips-cpp\.so\.\d+\.\d+\.\d+$/.test(f));
if (!lib || !existsSync(join(include, 'vips', 'vips.h'))) {
  console.error(`gankit_vips: no libvips-cpp.so in ${libdir} or no vips/vips.h in ${include}`);
  process.exit(1);
}
const out = {
  include: [include, join(include, 'glib-2.0'), join(libdir, 'glib-2.0', 'include')].join(' '),
  libdir,
  lib,
  // build/Release/gankit_vips.node -> <repo>/node_modules/@img/...; the absolute folder as a fallback.
  rpath: `$$ORIGIN/../../../../node_modules/${pkg}/lib:${libdir}`,
};
const what = process.argv[2];
if (!(what in out)) { console.error(`usage: node libvips.cjs ${Object.keys(out).join('|')}`); process.exit(2); }
console.log(out[what]);
