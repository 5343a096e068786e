// Gives expect() cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) and their types.
import "cdktf/lib/testing/adapters/jest";

// Tests synthesize in-process as `npm run synth` does: without token creation traces (a third of cdktf's CPU),
// unless CDKTF_TOKEN_STACK_TRACES=1 (scripts/token-stack-traces.cjs; errors and annotations keep theirs).
if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1")
  require("../../scripts/token-stack-traces.cjs").skipTokenStackTraces();
