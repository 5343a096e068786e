import { Testing } from "cdktn";
import { GithubActionsRole } from "../../modules/bootstrap/github-actions-role";
import { buildApp } from "../../stacks/app";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { loadEnvironments } from "../../stacks/config/load";
import { StateAccessStack } from "../../stacks/state-access-stack";
import { FIXTURE_ENV_DIR, exampleConfig, setPath, writeEnvDir } from "../helpers/env-fixtures";
import { resourcesOf, synthScratch, type TerraformJson } from "../helpers/synth";

/** Synthesizes only the bootstrap (and state-access) stack of one environment of `dir`, not its heavy environment stack. */
function environmentJson(stack: string, dir = FIXTURE_ENV_DIR): TerraformJson {
  const env = loadEnvironments(dir).find((e) => stack.startsWith(`${e.name}-`))!;
  const app = Testing.app();
  const built = stack.endsWith("-state-access") ? new StateAccessStack(app, env) : new BootstrapStack(app, env);
  return JSON.parse(Testing.synth(built));
}

const one = (json: TerraformJson, type: string) => {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
};
const roleNamed = (json: TerraformJson, name: string) =>
  Object.values(resourcesOf(json, "aws_iam_role")).find((r: any) => r.name === name);
const trustOf = (role: any) => JSON.parse(role.assume_role_policy).Statement;

describe("BootstrapStack (<env>-bootstrap)", () => {
  const prod = environmentJson("prod-bootstrap");
  const dev = environmentJson("dev-bootstrap");

  it("runs with the account's own credentials (no assume_role), pinned to the account, state in the bucket it creates", () => {
    expect(prod.provider.aws).toEqual([
      expect.objectContaining({ region: "eu-west-1", allowed_account_ids: ["333333333333"] }),
    ]);
    expect(prod.provider.aws[0].assume_role).toBeUndefined();
    expect(prod.terraform.backend).toEqual({
      s3: {
        bucket: "acme-platform-tfstate-333333333333",
        key: "edge/prod.bootstrap.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("creates the state bucket: versioned, encrypted, public access blocked, ACLs off, never destroyed", () => {
    expect(one(prod, "aws_s3_bucket")).toMatchObject({
      bucket: "acme-platform-tfstate-333333333333",
      lifecycle: { prevent_destroy: true },
    });
    expect(one(prod, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(one(prod, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(one(prod, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(one(prod, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  it("bucket policy refuses plain HTTP and every other account; old state versions expire", () => {
    const [tls, owner] = JSON.parse(one(prod, "aws_s3_bucket_policy").policy).Statement;
    expect(tls).toMatchObject({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(owner).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Condition: { StringNotEquals: { "aws:PrincipalAccount": "333333333333" } },
    });
    expect(tls.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.\S+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.\S+\.arn\}\/\*$/),
    ]);
    expect(one(prod, "aws_s3_bucket_lifecycle_configuration").rule[0]).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  it("creates GitHub's OIDC provider for audience sts.amazonaws.com", () => {
    expect(one(prod, "aws_iam_openid_connect_provider")).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it.each([
    ["prod", "repo:acme/resilient-edge:environment:prod"],
    ["dev", "repo:acme/resilient-edge:ref:refs/heads/main"],
  ])(
    "%s: the deploy role trusts exactly the configured repository and environment or branch (StringEquals, no wildcard)",
    (env, sub) => {
      const json = env === "prod" ? prod : dev;
      const [oidc, self] = trustOf(roleNamed(json, "platform-deploy"));
      expect(oidc).toEqual({
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: expect.stringMatching(/aws_iam_openid_connect_provider/) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [sub],
          },
        },
      });
      expect(self.Condition.ArnEquals["aws:PrincipalArn"]).toMatch(/:role\/platform-deploy$/);
    },
  );

  it("the plan role of a gated environment (prod) trusts only the default branch, never pull requests; a branch-gated one's (dev) pull requests too", () => {
    const subjects = (json: TerraformJson) =>
      trustOf(roleNamed(json, "platform-plan"))[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
    expect(subjects(prod)).toEqual(["repo:acme/resilient-edge:ref:refs/heads/main"]);
    expect(subjects(dev)).toEqual([
      "repo:acme/resilient-edge:pull_request",
      "repo:acme/resilient-edge:ref:refs/heads/main",
    ]);
  });

  it("the plan role is read-only and may only take the state lock", () => {
    const attached = Object.values(resourcesOf(prod, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(attached.sort()).toEqual([
      "arn:aws:iam::aws:policy/AdministratorAccess",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
    const statePolicies = Object.values(resourcesOf(prod, "aws_iam_role_policy")).map(
      (p: any) => JSON.parse(p.policy).Statement,
    );
    const planState = statePolicies.find((s) => s.some((x: any) => x.Sid === "ReadState"));
    expect(planState).toEqual([
      {
        Sid: "AssumeSelfForTheProvider",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: "arn:aws:iam::333333333333:role/platform-plan",
      },
      {
        Sid: "ListStateBucket",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws:s3:::acme-platform-tfstate-333333333333",
      },
      {
        Sid: "ReadState",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: "arn:aws:s3:::acme-platform-tfstate-333333333333/edge/prod.tfstate",
      },
      {
        Sid: "StateLock",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: "arn:aws:s3:::acme-platform-tfstate-333333333333/edge/prod.tfstate.tflock",
      },
    ]);
  });

  it("outputs exactly the values the env file needs, named for their fields; the names it creates are the env file's", () => {
    expect(Object.keys(prod.output ?? {}).sort()).toEqual([
      "account-deployRoleArn",
      "delivery-planRoleArn",
      "state-bucket",
    ]);
    const cfg = exampleConfig("prod");
    expect(roleNamed(prod, cfg.account.deployRoleArn.split("/").pop())).toBeDefined();
    expect(roleNamed(prod, cfg.delivery.planRoleArn.split("/").pop())).toBeDefined();
    expect(prod.output?.["state-bucket"].value).toMatch(/^\$\{aws_s3_bucket\.\S+\.bucket\}$/);
  });

  it("KMS state key: SSE-KMS with a bucket key, and the roles may use the key", () => {
    const key = "arn:aws:kms:eu-west-1:333333333333:key/0b7b2c3e-1111-2222-3333-444455556666";
    const json = environmentJson(
      "prod-bootstrap",
      writeEnvDir({ prod: setPath(exampleConfig("prod"), "state.kmsKeyArn", key) }),
    );
    expect(one(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key },
        bucket_key_enabled: true,
      },
    ]);
    const statements = Object.values(resourcesOf(json, "aws_iam_role_policy")).flatMap(
      (p: any) => JSON.parse(p.policy).Statement,
    );
    expect(statements.filter((s: any) => s.Sid === "StateKey").map((s: any) => s.Resource)).toEqual([key, key]);
  });

  it("BOOTSTRAP_LOCAL_STATE: the first apply keeps state locally until the bucket exists", () => {
    const { bootstrap } = buildApp({ envDir: writeEnvDir({ prod: exampleConfig("prod") }), bootstrapLocalState: true });
    expect(Object.keys(JSON.parse(Testing.synth(bootstrap[0])).terraform.backend)).toEqual(["local"]);
  });

  it("state in another account: no bucket here, the roles assume the state role, and <env>-state-access creates it there", () => {
    const stateRole = "arn:aws:iam::999999999999:role/edge-state-prod";
    const cfg = setPath(exampleConfig("prod"), "state.roleArn", stateRole);
    const dir = writeEnvDir({ prod: cfg });
    const here = environmentJson("prod-bootstrap", dir);
    expect(resourcesOf(here, "aws_s3_bucket")).toEqual({});
    expect(here.terraform.backend.s3.assume_role).toEqual({
      role_arn: stateRole,
      session_name: "cdktf-state-prod-bootstrap",
    });
    const statements = Object.values(resourcesOf(here, "aws_iam_role_policy")).map(
      (p: any) => JSON.parse(p.policy).Statement,
    );
    expect(statements.map((st) => st.filter((x: any) => x.Sid !== "AssumeSelfForTheProvider"))).toEqual([
      [{ Sid: "AssumeStateRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: stateRole }],
      [{ Sid: "AssumeStateRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: stateRole }],
    ]);
    const there = environmentJson("prod-state-access", dir);
    expect(there.provider.aws[0].allowed_account_ids).toEqual(["999999999999"]);
    const role = one(there, "aws_iam_role");
    expect(role.name).toBe("edge-state-prod");
    expect(trustOf(role)).toEqual([
      {
        Sid: "EnvironmentRoles",
        Effect: "Allow",
        Principal: { AWS: [cfg.account.deployRoleArn, cfg.delivery.planRoleArn] },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(Object.keys(there.output ?? {})).toEqual(["state-roleArn"]);
  });

  it("an environment without a delivery section gets no bootstrap stack", () => {
    const { bootstrap } = buildApp({
      envDir: writeEnvDir({ dev: setPath(exampleConfig("dev"), "delivery", undefined) }),
    });
    expect(bootstrap).toEqual([]);
  });
});

describe("GithubActionsRole props", () => {
  it("refuses wildcards in the repository and subjects, listing every problem", () => {
    expect(() =>
      synthScratch((s) => {
        new GithubActionsRole(s, "ci", {
          name: "ci",
          accountId: "111111111111",
          oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/x",
          repository: "acme/*",
          subjects: [{ branch: "release/*" }, { environment: "prod" }],
        });
      }),
    ).toThrow(
      /GithubActionsRole ci: invalid props:\n {2}repository: expected <owner>\/<repository> without wildcards, got "acme\/\*"\n {2}subjects\[0\]: expected a branch or environment name without wildcards, got "release\/\*"/,
    );
  });

  it("refuses an empty subject list", () => {
    expect(() =>
      synthScratch((s) => {
        new GithubActionsRole(s, "ci", {
          name: "ci",
          accountId: "111111111111",
          oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/x",
          repository: "acme/edge",
          subjects: [],
        });
      }),
    ).toThrow(/subjects: expected at least one/);
  });
});
