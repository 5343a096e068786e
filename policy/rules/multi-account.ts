/** Multi-account rules: a stack can only touch its own account, keeps locked encrypted remote state, and tags what it owns. */
import type { Rule, Violation } from "../rule";
import { block, strings } from "../terraform-json";

/** Default tags every stack's AWS provider must carry. */
export const REQUIRED_DEFAULT_TAGS = ["environment", "owner", "managed-by"] as const;

export const accountAllowedIds: Rule = {
  id: "account-allowed-account-ids",
  meaning:
    "every AWS provider configuration pins allowed_account_ids, so applying with another account's credentials fails before any change",
  kinds: ["provider.aws"],
  check(stack) {
    const providers = stack.providers("aws");
    if (providers.length === 0) {
      return stack.usesProvider("aws")
        ? [
            {
              address: "provider.aws",
              reason: "the stack has AWS resources but no aws provider block pinning allowed_account_ids",
            },
          ]
        : [];
    }
    return providers
      .filter((p) => strings(p.body.allowed_account_ids).length === 0)
      .map((p) => ({ address: p.address, reason: "allowed_account_ids is not set" }));
  },
};

export const accountRemoteStateLocked: Rule = {
  id: "account-remote-state-locked",
  checkov: "CKV_TF_3",
  meaning: "every stack keeps its state in the S3 backend, encrypted (encrypt = true) and locked (use_lockfile = true)",
  kinds: ["terraform.backend"],
  check(stack) {
    const backend = stack.json.terraform?.backend ?? {};
    const s3 = backend.s3;
    if (!s3) {
      const kind = Object.keys(backend)[0];
      return [
        {
          address: "terraform.backend",
          reason: kind
            ? `backend is "${kind}", expected "s3"`
            : "no backend: state would be local, unshared and unlocked",
        },
      ];
    }
    const out: Violation[] = [];
    if (s3.use_lockfile !== true)
      out.push({
        address: "terraform.backend.s3",
        reason: `use_lockfile is ${JSON.stringify(s3.use_lockfile ?? "unset")}, expected true`,
      });
    if (s3.encrypt !== true)
      out.push({
        address: "terraform.backend.s3",
        reason: `encrypt is ${JSON.stringify(s3.encrypt ?? "unset")}, expected true`,
      });
    return out;
  },
};

export const accountDefaultTags: Rule = {
  id: "account-default-tags",
  meaning: `every AWS provider configuration sets default_tags ${REQUIRED_DEFAULT_TAGS.join(", ")} (non-empty)`,
  kinds: ["provider.aws"],
  check(stack) {
    const out: Violation[] = [];
    for (const p of stack.providers("aws")) {
      const tags: Record<string, unknown> = block(p.body.default_tags)?.tags ?? {};
      const missing = REQUIRED_DEFAULT_TAGS.filter(
        (t) => typeof tags[t] !== "string" || (tags[t] as string).trim() === "",
      );
      if (missing.length > 0) out.push({ address: p.address, reason: `default_tags is missing ${missing.join(", ")}` });
    }
    return out;
  },
};

/** Multi-account rules, in report order. */
export const MULTI_ACCOUNT_RULES: readonly Rule[] = [accountAllowedIds, accountRemoteStateLocked, accountDefaultTags];
