#!/usr/bin/env node
// `npm run redrive -- <args>`: builds the redrive CLI bundle (cached) and runs it (scripts/cli-wrapper.mjs). Every
// stderr line of the redrive is JSON, a build failure included.
import { runBundledCli } from "./cli-wrapper.mjs";

await runBundledCli("redrive", (message) =>
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: "error", event: "redrive.error", message })}\n`,
  ),
);
