/** WebAssembly binaries are bundled as assets: importing one gives its URL. */
declare module '*.wasm' {
  const url: string;
  export default url;
}
