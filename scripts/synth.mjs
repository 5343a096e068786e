#!/usr/bin/env node
// Fast synth: bundle the app with esbuild (cached), then run the bundle in this process.
// Used by `npm run synth` and, through cdktf.json, by `cdktf synth|diff|deploy`.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";
import tokenStackTraces from "./token-stack-traces.cjs";
import bundleRunner from "./bundle-runner.cjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.env.CHECKPOINT_DISABLE ??= "1";
process.chdir(root);
// Token creation traces cost a third of the synth; CDKTF_TOKEN_STACK_TRACES=1 keeps them (token-stack-traces.cjs).
if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1") tokenStackTraces.skipTokenStackTraces();
await buildAll({ app: true, lambdas: true, clis: false });
// Run with V8's code cache of the last run's compiled functions (scripts/bundle-runner.cjs).
bundleRunner.runBundle(resolve(root, ".build/app.cjs"), resolve(root, ".build/app.cjs.v8-cache"));
