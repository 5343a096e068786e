#!/usr/bin/env node
// Fast synth: bundle the app with esbuild (cached), then run the bundle in this process.
// Used by `npm run synth` and, through cdktf.json, by `cdktf synth|diff|deploy`.
// A namespace import: Node 20 has no enableCompileCache (Node 22.1+), and a named import of it would not even load.
import * as nodeModule from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";
import tokenStackTraces from "./token-stack-traces.cjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.env.CHECKPOINT_DISABLE ??= "1";
process.chdir(root);
// Token creation traces cost a third of the synth; CDKTF_TOKEN_STACK_TRACES=1 keeps them (token-stack-traces.cjs).
if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1") tokenStackTraces.skipTokenStackTraces();
await buildAll({ app: true, lambdas: true });
// V8's code cache for the 3.6 MB bundle (Node >= 22.1): compiling it was a tenth of a warm synth.
nodeModule.enableCompileCache?.(resolve(root, ".build/compile-cache"));
nodeModule.createRequire(import.meta.url)(resolve(root, ".build/app.cjs"));
