// Gives expect() cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) and their types.
import "cdktf/lib/testing/adapters/jest";
