import { z } from "zod";

// The app validates every schema a few times and exits. zod 4 compiles a fast path for each object schema the first
// time it parses (`new Function`): worth it for a server that parses millions of requests, pure cost for a synth
// (about 45 ms of 0.9 s here, farm-bench; docs/benchmarks.md), and code V8 cannot keep in the synth's code cache.
// jitless is read when a schema is created, so main.ts imports this module before any other. Results are the same
// (zod's documented option: https://zod.dev/packages/core, "jitless").
z.config({ jitless: true });
