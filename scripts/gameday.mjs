#!/usr/bin/env node
// `npm run -s gameday -- <args>`: builds the game-day CLI bundle (cached) and runs it (scripts/cli-wrapper.mjs).
import { runBundledCli } from "./cli-wrapper.mjs";

await runBundledCli("gameday", (message) => process.stderr.write(`gameday: ${message}\n`));
