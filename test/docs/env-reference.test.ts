import { readFileSync } from "node:fs";
import { FIELD_MEANINGS } from "../../stacks/config/field-meanings";
import { environmentFields, renderEnvironmentReference } from "../../stacks/config/reference";

const fields = environmentFields(FIELD_MEANINGS);

describe("docs/env-reference.md (npm run docs:env)", () => {
  it("is up to date with the schema", () => {
    // Stale? Run `npm run docs:env` and commit docs/env-reference.md.
    expect(readFileSync("docs/env-reference.md", "utf8")).toBe(renderEnvironmentReference(fields));
  });

  it("lists every field with its type and a meaning", () => {
    expect(fields.filter((f) => !f.meaning || !f.type).map((f) => f.path)).toEqual([]);
  });

  it("shows defaults and ranges from the schema itself", () => {
    const byPath = Object.fromEntries(fields.map((f) => [f.path, f]));
    expect(byPath["events.defaults.maxReceiveCount"]).toMatchObject({
      type: "integer",
      presence: "default `5`",
      allowed: "1..1000",
    });
    expect(byPath["account.id"]).toMatchObject({ type: "string", presence: "required", allowed: "`^\\d{12}$`" });
    expect(byPath["delivery.github.repository"].meaning).toMatch(/OIDC trust/);
    expect(Object.keys(byPath)).toEqual(
      expect.arrayContaining([
        "state.roleArn",
        "state.kmsKeyArn",
        "account.externalId",
        'events.rules[].targets[](kind "event-bus").eventBusArn',
      ]),
    );
  });
});

describe('docs/platform.md "Adding an account" (the README\'s way)', () => {
  const readme = readFileSync("docs/platform.md", "utf8");
  const section = readme.slice(
    readme.indexOf("## Adding an account"),
    readme.indexOf("\n## ", readme.indexOf("## Adding an account") + 5),
  );

  it.each([
    "account.id",
    "account.region",
    "account.deployRoleArn",
    "account.externalId",
    "state.bucket",
    "state.key",
    "state.region",
    "state.roleArn",
    "state.kmsKeyArn",
    "api.distribution.customDomain.domainName",
    "api.distribution.customDomain.certificateArn",
    "api.distribution.customDomain.hostedZoneId",
    "eventBusArn",
    "asyncInvoke.executionRoleArn",
    "alarms.emails",
    "owner",
    "tags",
    "delivery.github",
    "delivery.planRoleArn",
  ])("names the per-account field %s", (field) => {
    expect(section).toContain(`\`${field}\``);
  });
});
