// Merged into @jupyter/builder's rspack configuration (package.json jupyterlab.webpackConfig).
// plotly.js is ~4.5 MB on purpose: it is a lazily loaded chunk, fetched only when a plot is shown,
// so the default 300 KiB asset-size hint is noise here.
module.exports = {
  performance: { hints: false }
};
