// cdktn's jest matchers (toHaveResource, ...) are not loaded here: no test uses them, and every test file paid for them.
// Tests synthesize in-process as `npm run synth` does: without token creation traces (a third of cdktf's CPU),
// unless CDKTF_TOKEN_STACK_TRACES=1 (scripts/token-stack-traces.cjs; errors and annotations keep theirs).
if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1")
  require("../../scripts/token-stack-traces.cjs").skipTokenStackTraces();

// Tests never read env/: it is the platform team's, and adding an account there must keep CI green. Every file read of
// env/ from a test's process fails, however it is reached (a literal path, buildApp()'s or loadEnvironments' default,
// any helper); only the smoke test reads it.
require("./env-guard").guardEnvFolder();

// `npm run synth:snapshot -- <dir>`: every stack a test synthesizes is also written under
// SYNTH_SNAPSHOT_DIR (by test file and test name), so a refactoring can prove its JSON unchanged (diff -r).
if (process.env.SYNTH_SNAPSHOT_DIR) require("./synth-snapshot").recordSyntheses(process.env.SYNTH_SNAPSHOT_DIR);
