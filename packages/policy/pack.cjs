/* global module */
// Entry point for Pulumi's policy runner (@pulumi/pulumi/cmd/run-policy-pack), which
// require()s the pack directory and so this file ("main" in package.json). The runner
// registers its own TypeScript loader (a vendored ts-node) for CommonJS only; the pack is
// ECMAScript modules in TypeScript, so tsx's loader imports it. The PolicyPack starts its
// gRPC server once src/pack.ts has run; the process lives as long as that server.
module.exports = import("tsx/esm/api").then(({ register }) => {
  register();
  return import("./src/pack.ts");
});
