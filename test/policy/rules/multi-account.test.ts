import { AwsProvider, type AwsProviderConfig } from "@cdktn/provider-aws/lib/provider";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { S3Backend, type S3BackendConfig, type TerraformStack } from "cdktn";
import { accountAllowedIds, accountDefaultTags, accountRemoteStateLocked } from "../../../policy/rules/multi-account";
import { finding, findings } from "../scratch";

const TAGS = { environment: "dev", owner: "platform-team", "managed-by": "cdktf" };

function provider(stack: TerraformStack, extra: Partial<AwsProviderConfig> = {}) {
  new AwsProvider(stack, "aws", {
    region: "eu-west-1",
    allowedAccountIds: ["111111111111"],
    defaultTags: [{ tags: TAGS }],
    ...extra,
  });
  new SqsQueue(stack, "queue", { name: "q", sqsManagedSseEnabled: true });
}

function backend(stack: TerraformStack, extra: Partial<S3BackendConfig> = {}, lockfile = true) {
  const b = new S3Backend(stack, {
    bucket: "state",
    key: "edge/dev.tfstate",
    region: "eu-west-1",
    encrypt: true,
    ...extra,
  });
  if (lockfile) b.addOverride("use_lockfile", true);
}

describe("account-allowed-account-ids", () => {
  it("fails a provider without allowed_account_ids, and AWS resources with no provider block", () => {
    expect(findings(accountAllowedIds, (s) => provider(s, { allowedAccountIds: undefined }))).toEqual([
      finding(accountAllowedIds, "provider.aws", "allowed_account_ids is not set"),
    ]);
    expect(findings(accountAllowedIds, (s) => new SqsQueue(s, "queue", { name: "q" }))).toEqual([
      finding(
        accountAllowedIds,
        "provider.aws",
        "the stack has AWS resources but no aws provider block pinning allowed_account_ids",
      ),
    ]);
  });

  it("fails an aliased provider that is not pinned", () => {
    const result = findings(accountAllowedIds, (s) => {
      provider(s);
      new AwsProvider(s, "us-east-1", { alias: "us_east_1", region: "us-east-1", defaultTags: [{ tags: TAGS }] });
    });
    expect(result).toEqual([finding(accountAllowedIds, "provider.aws.us_east_1", "allowed_account_ids is not set")]);
  });

  it("passes a pinned provider", () => {
    expect(findings(accountAllowedIds, (s) => provider(s))).toEqual([]);
  });
});

describe("account-remote-state-locked (CKV_TF_3)", () => {
  it("fails local state, and S3 state without locking or encryption", () => {
    expect(findings(accountRemoteStateLocked, (s) => provider(s))).toEqual([
      finding(accountRemoteStateLocked, "terraform.backend", "no backend: state would be local, unshared and unlocked"),
    ]);
    expect(findings(accountRemoteStateLocked, (s) => backend(s, { encrypt: false }, false))).toEqual([
      finding(accountRemoteStateLocked, "terraform.backend.s3", 'use_lockfile is "unset", expected true'),
      finding(accountRemoteStateLocked, "terraform.backend.s3", "encrypt is false, expected true"),
    ]);
  });

  it("passes encrypted S3 state with S3-native locking", () => {
    expect(findings(accountRemoteStateLocked, (s) => backend(s))).toEqual([]);
  });
});

describe("account-default-tags", () => {
  it("fails a provider missing owner and managed-by", () => {
    expect(
      findings(accountDefaultTags, (s) =>
        provider(s, { defaultTags: [{ tags: { environment: "dev", "managed-by": "" } }] }),
      ),
    ).toEqual([finding(accountDefaultTags, "provider.aws", "default_tags is missing owner, managed-by")]);
  });

  it("passes environment, owner and managed-by", () => {
    expect(findings(accountDefaultTags, (s) => provider(s))).toEqual([]);
  });
});
