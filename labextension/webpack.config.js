// Merged into @jupyter/builder's rspack configuration (package.json jupyterlab.webpackConfig).
// plotly.js is ~4.5 MB and tfjs ~1 MB on purpose: they are lazily loaded chunks, fetched only when a
// plot or a latent explorer is shown, so the default 300 KiB asset-size hint is noise here.
// tfjs' wasm backend binaries are emitted as static assets; importing one gives its URL
// (src/explorer/wasm-backend.ts).
module.exports = {
  performance: { hints: false },
  module: {
    rules: [{ test: /\.wasm$/, type: 'asset/resource', generator: { filename: '[name].[contenthash][ext]' } }]
  }
};
