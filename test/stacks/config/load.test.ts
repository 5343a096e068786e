import { loadEnvironments } from "../../../stacks/config/load";
import { FIXTURE_ENV_DIR, configProblemsOf, exampleConfig, setPath, writeEnvDir } from "../../helpers/env-fixtures";

const problemsOf = configProblemsOf;

/** One bad edit of the dev example: [case, path to set, value, field path expected in the error, text expected]. */
const BAD_CASES: Array<[string, string, unknown, string, RegExp]> = [
  ["wrong type", "production", "yes", "production", /expected a boolean, got "yes"/],
  ["missing field", "account.region", undefined, "account.region", /required field is missing/],
  ["missing owner", "owner", undefined, "owner", /required field is missing/],
  ["unknown field", "account.regoin", "eu-west-1", "account.regoin", /unknown field/],
  ["unknown top-level field", "apii", {}, "apii", /unknown field/],
  ["account id not 12 digits", "account.id", "12345", "account.id", /12-digit AWS account id, got "12345"/],
  ["account id as a number", "account.id", 111111111111, "account.id", /expected a string, got 111111111111/],
  ["malformed role ARN", "account.deployRoleArn", "arn:aws:iam:role/deploy", "account.deployRoleArn", /IAM role ARN/],
  [
    "role in another account",
    "account.deployRoleArn",
    "arn:aws:iam::999999999999:role/platform-deploy",
    "account.deployRoleArn",
    /role in account 111111111111, got a role in account 999999999999/,
  ],
  ["malformed KMS ARN", "state.kmsKeyArn", "arn:aws:kms:eu-west-1:key/x", "state.kmsKeyArn", /kms ARN/],
  ["bad region", "account.region", "europe", "account.region", /AWS region code/],
  ["state key without .tfstate", "state.key", "edge/dev", "state.key", /\.tfstate/],
  ["bad bucket name", "state.bucket", "Bad_Bucket", "state.bucket", /S3 bucket name/],
  ["reserved tag", "tags.environment", "x", "tags.environment", /set by the stack itself/],
  ["negative rate limit", "api.throttle.rateLimit", -5, "api.throttle.rateLimit", /expected a number >= 0, got -5/],
  ["bad e-mail", "alarms.emails", ["not-an-email"], "alarms.emails[0]", /e-mail address/],
];

describe("loadEnvironments", () => {
  it("accepts the example environments", () => {
    expect(loadEnvironments(FIXTURE_ENV_DIR).map((e) => e.name)).toEqual(["dev", "prod", "staging"]);
  });

  it.each(BAD_CASES)("%s: names the file and the field", (_case, path, value, field, text) => {
    const problems = problemsOf({ dev: setPath(exampleConfig("dev"), path, value) });
    expect(problems).toEqual([
      expect.objectContaining({ file: "dev.json", path: field, message: expect.stringMatching(text) }),
    ]);
  });

  it("reports every error in a file at once, not only the first", () => {
    const dev = exampleConfig("dev");
    setPath(dev, "account.id", "1");
    setPath(dev, "state.region", 7);
    setPath(dev, "extra", true);
    const paths = problemsOf({ dev })
      .map((p) => p.path)
      .sort();
    expect(paths).toEqual(["account.id", "extra", "state.region"]);
  });

  it("reports errors of every file together", () => {
    const problems = problemsOf({
      dev: setPath(exampleConfig("dev"), "owner", ""),
      prod: setPath(exampleConfig("prod"), "account.id", "x"),
    });
    expect(problems.map((p) => `${p.file}:${p.path}`).sort()).toEqual(["dev.json:owner", "prod.json:account.id"]);
  });

  it("rejects a file that is not JSON, naming it", () => {
    expect(problemsOf({ dev: "{ not json" })).toEqual([
      expect.objectContaining({ file: "dev.json", path: "", message: expect.stringMatching(/not valid JSON/) }),
    ]);
  });

  it("rejects a file name that cannot be a stack name", () => {
    expect(problemsOf({ Dev_1: exampleConfig("dev") })).toEqual([
      expect.objectContaining({ file: "Dev_1.json", message: expect.stringMatching(/stack name/) }),
    ]);
  });

  it("rejects an empty environment folder", () => {
    expect(problemsOf({})).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/at least one <name>\.json/) }),
    ]);
  });
});

describe("what JSON.parse lets through: reported with the line, every one at once", () => {
  /** The dev example as text, with `edit` applied to the text. */
  const devText = (edit: (text: string) => string) => edit(JSON.stringify(exampleConfig("dev"), null, 2));
  const lineOf = (text: string, needle: string, from = 0) =>
    text.slice(0, text.indexOf(needle, from)).split("\n").length;

  it("a key given twice (production, account.id) is refused with both lines; JSON.parse would keep the last", () => {
    const text = devText((t) =>
      t
        .replace('"production": false,', '"production": true,\n  "production": false,')
        .replace(/("id": "111111111111",)/, '$1\n    "id": "222222222222",'),
    );
    const problems = configProblemsOf({ dev: text });
    const first = lineOf(text, '"production"');
    const idLine = lineOf(text, '"id": "111111111111"');
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: "dev.json",
          path: "production",
          message: `line ${first + 1}: duplicate key (lines ${first} and ${first + 1}): JSON keeps only the last one; remove one`,
        },
        expect.objectContaining({
          path: "account.id",
          message: `line ${idLine + 1}: duplicate key (lines ${idLine} and ${idLine + 1}): JSON keeps only the last one; remove one`,
        }),
      ]),
    );
  });

  it("a __proto__ tag and 1e309 are named as written, not lost or read as null", () => {
    const text = devText((t) =>
      t.replace('"tags": {', '"tags": {\n    "__proto__": "x",').replace(/"rateLimit": \d+/, '"rateLimit": 1e309'),
    );
    const problems = configProblemsOf({ dev: text });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "tags.__proto__",
          message: expect.stringMatching(/^line \d+: the key "__proto__" is dropped/),
        }),
        expect.objectContaining({
          path: "api.throttle.rateLimit",
          message: expect.stringMatching(/^line \d+: 1e309 is beyond a 64-bit number \(it reads as Infinity\)$/),
        }),
      ]),
    );
  });

  it.each([
    ["a tag value", "tags.team", '${file("/etc/hostname")}'],
    ["the owner", "owner", "platform ${timestamp()}"],
    ["the API description", "api.description", "orders %{ if true }x%{ endif }"],
    ["a rule description", "events.rules.0.description", "${timestamp()}"],
    ["an event pattern value", "events.rules.0.eventPattern.source.0", "${var.x}"],
    ["a MOCK response body", "api.resources./health.GET.integration.responseBody.status", "${path.cwd}"],
  ])("%s with a Terraform template sequence is refused: Terraform would evaluate it", (_what, path, value) => {
    const config = setPath(exampleConfig("dev"), path, value);
    const problems = configProblemsOf({ dev: config });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: "dev.json",
          message: expect.stringMatching(
            /^line \d+: contains "[$%]\{", which Terraform would evaluate as an expression/,
          ),
        }),
      ]),
    );
  });
});

describe("values AWS would refuse are refused, each named, all at once", () => {
  it("owner over 256 characters, aws: tag keys and values, control characters, a lone surrogate, a 100k description", () => {
    let config = setPath(exampleConfig("dev"), "owner", "o".repeat(10_000));
    config = setPath(config, "description", "d".repeat(100_000));
    config = setPath(config, "tags", {
      "aws:cost": "x",
      team: "AWS:reserved",
      bell: "ring\u0007",
      half: "a\ud800b",
      ok: "Zoë 東京 a_b.c:d/e=f+g-h@i",
    });
    config = setPath(config, "api.description", "x".repeat(2000));
    const problems = configProblemsOf({ dev: config }).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        "owner: expected a tag value of 0-256 characters",
        expect.stringMatching(/^description: expected at most 1024 character\(s\), got "d{20}/),
        expect.stringMatching(/^tags\.aws:cost: invalid key "aws:cost": a tag key must not start with "aws:"/),
        'tags.team: a tag value must not start with "aws:" (reserved for AWS)',
        "tags.bell: expected a tag value of letters, digits, spaces and _ . : / = + - @ (no control characters or lone surrogates)",
        "tags.half: expected a tag value of letters, digits, spaces and _ . : / = + - @ (no control characters or lone surrogates)",
        expect.stringMatching(/^api\.description: expected at most 1024 character\(s\)/),
      ]),
    );
    expect(problems.filter((p) => p.startsWith("tags.ok"))).toEqual([]);
  });

  it("the limits are AWS's: 128-character keys and 256-character values pass, one more fails; 46 tags pass, 47 fail", () => {
    const ok = { ["k".repeat(128)]: "v".repeat(256) };
    expect(() => loadEnvironments(writeEnvDir({ dev: setPath(exampleConfig("dev"), "tags", ok) }))).not.toThrow();
    const over = configProblemsOf({
      dev: setPath(exampleConfig("dev"), "tags", { ["k".repeat(129)]: "v", long: "v".repeat(257) }),
    });
    expect(over.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/expected a tag key of 1-128 characters/),
        "expected a tag value of 0-256 characters",
      ]),
    );
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));
    expect(() => loadEnvironments(writeEnvDir({ dev: setPath(exampleConfig("dev"), "tags", many(46)) }))).not.toThrow();
    expect(configProblemsOf({ dev: setPath(exampleConfig("dev"), "tags", many(47)) }).map((p) => p.message)).toContain(
      "expected at most 46 tags (AWS allows 50 on a resource; the stack adds 4)",
    );
  });
});
