/**
 * The package as a product team gets it: `npm pack` of dist/package, installed into fresh app folders outside
 * the repository with no network (npm installs only the tarball; the peers cdktn, constructs and
 * @cdktn/provider-aws, and @types/node, are linked from this repository's node_modules, as an app's own
 * install would provide them), then each example app is type-checked with tsc --strict, synthesized, and
 * checked with the package's own `resilient-edge check`. README's TypeScript examples are compiled there too.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const EXAMPLES = ["orders-api", "team-redrive"] as const;
const PEERS = [
  "cdktn",
  "constructs",
  "@cdktn/provider-aws",
  "@types/node",
  // Optional peers of resilient-edge/consumer-runtime (the queue consumer's Lambda code).
  "@aws-lambda-powertools/batch",
  "@aws-lambda-powertools/idempotency",
  "@aws-sdk/client-dynamodb",
  "@aws-sdk/lib-dynamodb",
  "@smithy/node-http-handler",
];
const rootManifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const manifest = JSON.parse(readFileSync(join(ROOT, "package", "package.json"), "utf8"));

let work: string;
let tarball: string;
const apps: Record<string, string> = {};
const tsc: { status: number | null; output: string } = { status: null, output: "" };
/** Per example: the synth run, its stacks, and the installed package's files (with mtimes) before and after it. */
const synths: Record<
  string,
  { run: ReturnType<typeof run>; stacks: Record<string, any>; before: string[]; after: string[] }
> = {};

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `run`, without blocking: the two apps install and synthesize side by side. */
function runAsync(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file under a folder, relative to it (symlinked folders are not followed). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p).map((f) => join(e.name, f)) : [e.name];
  });
}

/** The ```ts blocks of README.md, the package's own README and the pages under docs/, in order. */
function readmeTypeScript(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join("docs", f));
  return ["README.md", "package/README.md", ...docs].flatMap((file) =>
    [...readFileSync(join(ROOT, file), "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]),
  );
}

/** Copies an example into a fresh app folder and installs the tarball there; peers are linked from this repository. */
async function installApp(name: string): Promise<string> {
  const app = join(work, name);
  cpSync(join(ROOT, "examples", name), app, {
    recursive: true,
    filter: (src) => !/(node_modules|cdktf\.out|dist)$/.test(src),
  });
  const own = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  // Only the tarball comes from npm (no network: a local file); everything else is already on this machine.
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify(
      {
        ...own,
        // The package's one runtime dependency (zod, the modules' props schemas), from this machine as well.
        dependencies: { [manifest.name]: `file:${tarball}`, zod: `file:${join(ROOT, "node_modules", "zod")}` },
        devDependencies: {},
      },
      null,
      2,
    ),
  );
  const npm = await runAsync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", "--ignore-scripts"],
    app,
  );
  if (npm.status !== 0) throw new Error(`npm install in ${app} failed:\n${npm.stderr}`);
  for (const peer of PEERS) {
    mkdirSync(dirname(join(app, "node_modules", peer)), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", peer), join(app, "node_modules", peer), "dir");
  }
  return app;
}

/** What the setup produces: the packed tarball, the installed apps, tsc's verdict, and each example's synth. */
interface Prepared {
  readonly work: string;
  readonly tarball: string;
  readonly tsc: { status: number | null; output: string };
  readonly synths: Record<string, { run: ReturnType<typeof run>; before: string[]; after: string[] }>;
}

/**
 * Packs the package, installs the example apps, compiles them with README's examples and synthesizes them. All of it
 * is a function of its inputs, so a run whose inputs are byte for byte those of an earlier run reuses that run's apps
 * (outside the repository, under the system's temporary folder): the key hashes the built package (dist/package), the
 * examples, the docs' TypeScript, the lockfile, this file and Node's version. A fresh clone (CI) builds everything.
 */
async function prepare(): Promise<Prepared> {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-package.mjs"), "--no-check"], {
    cwd: ROOT,
    stdio: "pipe",
  });
  const cacheRoot = join(process.env.RESILIENT_EDGE_SYSTEM_TMP ?? tmpdir(), "resilient-edge-package-apps");
  const dir = join(cacheRoot, preparedKey());
  if (existsSync(join(dir, "prepared.json"))) return JSON.parse(readFileSync(join(dir, "prepared.json"), "utf8"));
  mkdirSync(cacheRoot, { recursive: true });
  const building = mkdtempSync(join(cacheRoot, "building-"));
  const prepared = await prepareIn(building);
  // Only a complete preparation is kept: written last, then the folder takes its name (another run may have won).
  const final = { ...prepared, work: dir, tarball: prepared.tarball.replace(building, dir) };
  writeFileSync(join(building, "prepared.json"), JSON.stringify(final));
  for (const old of readdirSync(cacheRoot))
    if (old !== basename(building)) rmSync(join(cacheRoot, old), { recursive: true, force: true });
  try {
    renameSync(building, dir);
    return final;
  } catch {
    return prepared;
  }
}

/** The hash of everything the preparation reads. */
function preparedKey(): string {
  // The apps link their peers from this checkout's node_modules: another checkout prepares its own.
  const hash = createHash("sha256").update(process.version).update(ROOT);
  const dist = join(ROOT, "dist", "package");
  for (const f of filesUnder(dist).sort()) hash.update(f).update(readFileSync(join(dist, f)));
  for (const name of EXAMPLES)
    for (const f of filesUnder(join(ROOT, "examples", name))
      .filter((f) => !/^(node_modules|cdktf\.out|dist)\//.test(f))
      .sort())
      hash.update(`${name}/${f}`).update(readFileSync(join(ROOT, "examples", name, f)));
  for (const code of readmeTypeScript()) hash.update(code);
  hash.update(readFileSync(join(ROOT, "package-lock.json"))).update(readFileSync(__filename));
  return hash.digest("hex").slice(0, 16);
}

async function prepareIn(dir: string): Promise<Prepared> {
  work = dir;
  tarball = execFileSync(process.execPath, [join(ROOT, "scripts", "build-package.mjs"), "--pack", work, "--no-check"], {
    cwd: ROOT,
    encoding: "utf8",
  }).trim();
  const installed = await Promise.all(EXAMPLES.map(installApp));
  // README's examples, as files of the orders-api app (they import from the package like any app).
  const readme = join(installed[0], "readme");
  mkdirSync(readme);
  for (const [i, code] of readmeTypeScript().entries()) writeFileSync(join(readme, `example-${i + 1}.ts`), code);
  const options = JSON.parse(readFileSync(join(installed[0], "tsconfig.json"), "utf8")).compilerOptions;
  writeFileSync(
    join(readme, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...options, noUnusedLocals: false, outDir: "dist" }, include: ["*.ts"] }),
  );
  // One tsc --build for the apps and README's examples: declaration files are parsed once for all three.
  const built = run(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-b", installed[0], installed[1], readme],
    work,
  );
  const snapshot = (app: string) => {
    const pkg = join(app, "node_modules", manifest.name);
    return filesUnder(pkg).map((f) => `${f} ${statSync(join(pkg, f)).mtimeMs}`);
  };
  const before = installed.map(snapshot);
  const runs = await Promise.all(installed.map((app) => runAsync(process.execPath, ["dist/main.js"], app)));
  const synthRuns = Object.fromEntries(
    EXAMPLES.map((name, i) => [name, { run: runs[i], before: before[i], after: snapshot(installed[i]) }]),
  );
  return { work, tarball, tsc: { status: built.status, output: built.stdout + built.stderr }, synths: synthRuns };
}

beforeAll(async () => {
  const prepared = await prepare();
  work = prepared.work;
  tarball = prepared.tarball;
  Object.assign(tsc, prepared.tsc);
  for (const name of EXAMPLES) {
    apps[name] = join(work, name);
    const dir = join(apps[name], "cdktf.out", "stacks");
    const stacks = existsSync(dir)
      ? Object.fromEntries(
          readdirSync(dir).map((s) => [s, JSON.parse(readFileSync(join(dir, s, "cdk.tf.json"), "utf8"))]),
        )
      : {};
    synths[name] = { ...prepared.synths[name], stacks };
  }
}, 120_000);

describe("the resilient-edge package", () => {
  it("is published under a scope (no one else can claim the name), the organisation's with --scope", () => {
    expect(manifest.name).toBe("@acme/resilient-edge");
    const dir = mkdtempSync(join(tmpdir(), "scoped-"));
    const build = join(ROOT, "scripts", "build-package.mjs");
    const packed = execFileSync(process.execPath, [build, "--pack", dir, "--no-check", "--scope", "@myorg"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    expect(packed).toBe(join(dir, `myorg-resilient-edge-${manifest.version}.tgz`));
    const inside = execFileSync("tar", ["-xzOf", packed, "package/package.json"], { encoding: "utf8" });
    expect(JSON.parse(inside)).toMatchObject({ name: "@myorg/resilient-edge", version: manifest.version });
    const bad = spawnSync(process.execPath, [build, "--pack", dir, "--scope", "MyOrg"], { encoding: "utf8" });
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({
      status: 2,
      stderr: expect.stringMatching(/^build-package: --scope: expected an npm scope such as @acme .*got "MyOrg"\n$/),
    });
  });

  it("is installed outside the repository", () => {
    expect(relative(ROOT, work).startsWith("..")).toBe(true);
    expect(statSync(tarball).isFile()).toBe(true);
    // npm names a scoped package's tarball <scope>-<name>-<version>.tgz.
    const file = `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`;
    expect(tarball.endsWith(`/${file}`)).toBe(true);
  });

  it("ships every module and policy file compiled with its .d.ts, the Lambda bundle and its zip, and nothing of the platform", () => {
    const installed = join(apps["orders-api"], "node_modules", manifest.name);
    const files = filesUnder(installed).sort();
    const sources = [
      ...filesUnder(join(ROOT, "modules")).map((f) => `modules/${f}`),
      ...filesUnder(join(ROOT, "policy")).map((f) => `policy/${f}`),
    ].filter((f) => f.endsWith(".ts") && f !== "policy/check.ts" && f !== "policy/waivers.ts");
    for (const src of sources)
      expect(files).toEqual(expect.arrayContaining([src.replace(/\.ts$/, ".js"), src.replace(/\.ts$/, ".d.ts")]));
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "CHANGELOG.md",
        "dist/lambdas/redrive/index.js",
        "dist/lambdas/redrive.zip",
        "dist/cli/redrive.cjs",
      ]),
    );
    expect(
      files.filter(
        (f) =>
          /^(stacks|env|test|scripts|bench|examples)\//.test(f) || /(^|\/)waivers\.js$|^policy\/check\.js$/.test(f),
      ),
    ).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("ships its API reference: an index naming every module by its import path, each construct's props with their defaults", () => {
    const docs = join(apps["orders-api"], "node_modules", manifest.name, "docs", "api");
    const index = readFileSync(join(docs, "index.html"), "utf8");
    const paths = Object.keys(manifest.exports)
      .filter((k) => k !== "./package.json")
      .map((k) => (k === "." ? manifest.name : `${manifest.name}/${k.slice(2)}`));
    for (const path of paths) expect(index).toContain(path);
    const frontDoor = readdirSync(join(docs, "classes")).find((f) => f.includes("RestApiFrontDoor"))!;
    expect(readFileSync(join(docs, "classes", frontDoor), "utf8")).toContain("addRoute");
  });

  it("runs the redrive CLI it ships as a command of its bin (`npx resilient-edge redrive`), nothing else installed", () => {
    const bin = join(apps["team-redrive"], "node_modules", ".bin", "resilient-edge");
    const help = spawnSync(bin, ["redrive", "--help"], { encoding: "utf8", cwd: apps["team-redrive"] });
    expect({ status: help.status, usage: help.stdout.split("\n")[0] }).toEqual({
      status: 0,
      usage: "Replays dead-lettered messages with their error context, losing none.",
    });
    const bad = spawnSync(bin, ["redrive", "--queue-url", "not-a-url"], {
      encoding: "utf8",
      cwd: apps["team-redrive"],
    });
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stderr.trim().split("\n").pop()!)).toMatchObject({
      event: "redrive.error",
      problems: [expect.stringMatching(/^--queue-url: expected an SQS queue URL/)],
    });
  });

  it("declares a semver version, peer dependencies on cdktn, constructs and the provider that this repository satisfies, and one runtime dependency (zod, pinned as here)", () => {
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
      "@aws-lambda-powertools/batch",
      "@aws-lambda-powertools/idempotency",
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/lib-dynamodb",
      "@cdktn/provider-aws",
      "@smithy/node-http-handler",
      "cdktn",
      "constructs",
    ]);
    // The consumer runtime's libraries are needed only by resilient-edge/consumer-runtime (Lambda code).
    expect(Object.keys(manifest.peerDependenciesMeta).sort()).toEqual(
      Object.keys(manifest.peerDependencies)
        .filter((p) => !["@cdktn/provider-aws", "cdktn", "constructs"].includes(p))
        .sort(),
    );
    for (const meta of Object.values<any>(manifest.peerDependenciesMeta)) expect(meta).toEqual({ optional: true });
    expect(manifest.dependencies).toEqual({ zod: rootManifest.dependencies.zod });
    expect(rootManifest.dependencies.zod).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.private).toBeUndefined();
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toContain(`## ${manifest.version}`);
  });

  it("resolves the root and the module subpaths by name, and refuses deep imports of its internals", () => {
    const app = apps["orders-api"];
    const script = [
      "const r = require;",
      "const out = {};",
      `for (const s of ["", "/api", "/events", "/redrive", "/alarms", "/policy"]) out[s] = Object.keys(r(${JSON.stringify(manifest.name)} + s)).sort();`,
      `try { r(${JSON.stringify(manifest.name)} + "/modules/api/api-stage"); out.deep = "resolved"; } catch (e) { out.deep = e.code; }`,
      "console.log(JSON.stringify(out));",
    ].join("\n");
    const out = JSON.parse(run(process.execPath, ["-e", script], app).stdout);
    expect(out[""]).toEqual(
      expect.arrayContaining(["RestApiFrontDoor", "EventRouting", "RedriveFunction", "AlarmTopic", "PropsError"]),
    );
    expect(out["/api"]).toContain("RestApiFrontDoor");
    expect(out["/events"]).toContain("EventRouting");
    expect(out["/redrive"]).toContain("RedriveFunction");
    expect(out["/alarms"]).toContain("AlarmTopic");
    expect(out["/policy"]).toEqual(expect.arrayContaining(["checkStacks", "RULES", "readSynthOutput"]));
    expect(out.deep).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("the example apps pin the peers this repository tests with and depend on the package", () => {
    for (const name of EXAMPLES) {
      const own = JSON.parse(readFileSync(join(ROOT, "examples", name, "package.json"), "utf8"));
      expect(own.dependencies[manifest.name]).toBe(`^${manifest.version}`);
      for (const peer of ["cdktn", "constructs", "@cdktn/provider-aws"])
        expect(own.dependencies[peer]).toBe(rootManifest.dependencies[peer]);
      expect(
        JSON.parse(readFileSync(join(ROOT, "examples", name, "tsconfig.json"), "utf8")).compilerOptions.strict,
      ).toBe(true);
    }
  });

  it("the example apps and every TypeScript example in the READMEs compile under tsc --strict against the installed package", () => {
    expect(readmeTypeScript().length).toBeGreaterThanOrEqual(3);
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  });

  it.each(EXAMPLES)("%s synthesizes its stack without writing into the installed package", (name) => {
    const { run: synth, stacks, before, after } = synths[name];
    expect(synth.stderr).toBe("");
    expect(synth.status).toBe(0);
    expect(Object.keys(stacks)).toHaveLength(1);
    expect(after).toEqual(before);
  });

  it.each(EXAMPLES)(
    "%s passes the package's policy check (resilient-edge check --json), with only its own waivers",
    (name) => {
      const waivers = existsSync(join(apps[name], "policy-waivers.json")) ? ["--waivers", "policy-waivers.json"] : [];
      const check = run(
        join(apps[name], "node_modules", ".bin", "resilient-edge"),
        ["check", "cdktf.out", "--json", ...waivers],
        apps[name],
      );
      const report = JSON.parse(check.stdout);
      expect(report.findings).toEqual([]);
      expect(report.waiverErrors).toEqual([]);
      expect(report.waived).toHaveLength(waivers.length > 0 ? 1 : 0);
      expect(check.status).toBe(0);
    },
  );

  it("orders-api: two tiers, SQS and Lambda targets, and the account-wide logging role left to the platform", () => {
    const json: any = Object.values(synths["orders-api"].stacks)[0];
    expect(
      Object.values(json.resource.aws_api_gateway_usage_plan)
        .map((p: any) => p.name)
        .sort(),
    ).toEqual(["orders-premium", "orders-standard"]);
    expect(Object.keys(json.resource.aws_cloudwatch_event_target)).toHaveLength(2);
    expect(
      Object.values(json.resource.aws_lambda_permission)
        .map((p: any) => p.function_name)
        .sort(),
    ).toEqual([
      expect.stringMatching(/:function:orders-notify$/),
      expect.stringMatching(/:function:cancel-order$/),
      expect.stringMatching(/:function:order-status$/),
    ]);
    expect(json.resource.aws_api_gateway_account).toBeUndefined();
  });

  it("orders-api: a Cognito-protected, CORS-enabled API (the API's default authorizer, scopes per method) with Lambda-backed routes, one added with addRoute", () => {
    const json: any = Object.values(synths["orders-api"].stacks)[0];
    const all = Object.values(json.resource.aws_api_gateway_method) as any[];
    // One preflight per resource with methods, and the origin on API Gateway's own 4XX and 5XX.
    expect(all.filter((m) => m.http_method === "OPTIONS")).toHaveLength(6);
    expect(
      Object.values(json.resource.aws_api_gateway_gateway_response).map((r: any) => [
        r.response_type,
        r.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"],
      ]),
    ).toEqual([
      ["DEFAULT_4XX", "'https://shop.example.com'"],
      ["DEFAULT_5XX", "'https://shop.example.com'"],
    ]);
    expect(Object.values(json.resource.aws_api_gateway_authorizer)).toEqual([
      expect.objectContaining({ name: "shoppers", type: "COGNITO_USER_POOLS" }),
    ]);
    const methods = all.filter((m) => m.http_method !== "OPTIONS");
    expect(methods.map((m) => m.authorization).sort()).toEqual([
      "COGNITO_USER_POOLS",
      "COGNITO_USER_POOLS",
      "COGNITO_USER_POOLS",
      "COGNITO_USER_POOLS",
      "COGNITO_USER_POOLS",
      "NONE",
    ]);
    expect(methods.filter((m) => m.authorization_scopes)).toEqual([
      expect.objectContaining({ authorization_scopes: ["orders/read"], api_key_required: true }),
    ]);
    const lambdas = Object.values(json.resource.aws_api_gateway_integration).filter((i: any) => i.type === "AWS_PROXY");
    expect(lambdas.map((i: any) => i.uri.replace(/.*:function:([^/]+)\/invocations$/, "$1")).sort()).toEqual([
      "cancel-order",
      "order-status",
    ]);
    // The added route's function is alarmed as the props' are.
    const alarmed = Object.values(json.resource.aws_cloudwatch_metric_alarm).map(
      (a: any) => a.dimensions?.FunctionName,
    );
    expect(alarmed).toEqual(expect.arrayContaining(["cancel-order", "order-status"]));
  });

  it("orders-api: its outbox (from resilient-edge/outbox) puts on its own bus, after the propagation wait, with the time provider pinned", () => {
    const json: any = Object.values(synths["orders-api"].stacks)[0];
    const pipes = Object.values(json.resource.aws_pipes_pipe) as any[];
    expect(pipes.map((p) => [p.name, p.target])).toEqual([
      ["orders-placed", expect.stringMatching(/aws_cloudwatch_event_bus\..*\.arn/)],
    ]);
    expect(pipes[0].depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
    expect(json.terraform.required_providers.time).toEqual({ source: "hashicorp/time", version: "0.13.1" });
  });

  it("orders-api: without its waiver file the check exits 1 and names the public /health method", () => {
    const check = run(
      join(apps["orders-api"], "node_modules", ".bin", "resilient-edge"),
      ["check"],
      apps["orders-api"],
    );
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("FAIL   apigw-method-auth (CKV2_AWS_70) orders-api aws_api_gateway_method.");
    expect(check.stdout).toContain("(api/routes/method-health-GET)");
  });

  it("team-redrive: its RedriveFunction keeps the default (unreserved) concurrency, and the check above passed it with no waiver", () => {
    const json: any = Object.values(synths["team-redrive"].stacks)[0];
    const functions = Object.values<any>(json.resource.aws_lambda_function);
    expect(functions.map((f) => [f.function_name, f.reserved_concurrent_executions])).toEqual([
      ["billing-redrive", -1],
    ]);
    expect(existsSync(join(apps["team-redrive"], "policy-waivers.json"))).toBe(false);
  });

  it("orders-api: a consumer built from an async route in one call (addConsumer), on the consumer bundle the package ships", () => {
    const json: any = Object.values(synths["orders-api"].stacks)[0];
    const fn: any = Object.values(json.resource.aws_lambda_function).find(
      (f: any) => f.function_name === "orders-returns",
    );
    expect(fn).toBeDefined();
    const mapping: any = Object.values(json.resource.aws_lambda_event_source_mapping)[0];
    const queue: any = Object.entries(json.resource.aws_sqs_queue).find(
      ([, q]: any) => q.name === "orders-returns-post",
    );
    expect(mapping.event_source_arn).toBe(`\${aws_sqs_queue.${queue[0]}.arn}`);
    expect(mapping.function_response_types).toEqual(["ReportBatchItemFailures"]);
    // The zip synth made from the package's own consumer bundle, not a build of the app's.
    const asset = join(apps["orders-api"], "cdktf.out", "stacks", "orders-api", fn.filename);
    expect(existsSync(asset)).toBe(true);
  });

  it("orders-api: its operations dashboard, built from the package's module, passes the body checks at synth", () => {
    const json: any = Object.values(synths["orders-api"].stacks)[0];
    const [dashboard]: any[] = Object.values(json.resource.aws_cloudwatch_dashboard);
    expect(dashboard.dashboard_name).toBe("orders-operations");
    const body = dashboard.dashboard_body as string;
    for (const text of [
      "AWS/ApiGateway",
      "AWS/SQS",
      "AWS/Lambda",
      "AWS/EventBridge/Pipes",
      "AWS/Events",
      "ResilientEdge/Redrive",
    ])
      expect(body).toContain(`"${text}"`);
    expect(body).toContain("npx resilient-edge redrive --queue-url");
    expect(body).toMatch(/"type":"alarm"/);
  });

  it("team-redrive: its rules are on the platform's existing bus, named from the ARN", () => {
    const json: any = Object.values(synths["team-redrive"].stacks)[0];
    expect(json.resource.aws_cloudwatch_event_bus).toBeUndefined();
    expect(Object.values(json.resource.aws_cloudwatch_event_rule).map((r: any) => r.event_bus_name)).toEqual([
      "platform-events",
    ]);
  });

  it("team-redrive: deploys the redrive bundle shipped in the package, byte for byte", () => {
    const json: any = Object.values(synths["team-redrive"].stacks)[0];
    const fn: any = Object.values(json.resource.aws_lambda_function)[0];
    const shipped = readFileSync(
      join(apps["team-redrive"], "node_modules", manifest.name, "dist", "lambdas", "redrive.zip"),
    );
    expect(fn.source_code_hash).toBe(createHash("sha256").update(shipped).digest("base64"));
    expect(fn.function_name).toBe("billing-redrive");
  });
});
