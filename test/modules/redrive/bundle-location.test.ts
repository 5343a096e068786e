import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { shippedBundleDir } from "../../../modules/redrive/bundle-location";
import { QueueConsumer } from "../../../modules/consumer/queue-consumer";
import { RedriveFunction } from "../../../modules/redrive/redrive-function";
import { synthScratch } from "../../helpers/synth";

const ROOT = resolve(__dirname, "..", "..", "..");
const ROUTE = {
  targetName: "orders",
  targetKind: "sqs" as const,
  ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/bus/placed",
  targetArn: "arn:aws:sqs:eu-west-1:111111111111:orders",
  dlqArn: "arn:aws:sqs:eu-west-1:111111111111:orders-delivery-dlq",
  dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/orders-delivery-dlq",
};

/** Synthesizes `build` with the working directory at a fresh temp folder (a product app's, with no dist/ of its own). */
function synthElsewhere(build: (stack: any) => void): Record<string, any> {
  const here = process.cwd();
  try {
    process.chdir(mkdtempSync(join(tmpdir(), "cwd-")));
    return JSON.parse(synthScratch(build));
  } finally {
    process.chdir(here);
  }
}

describe("where RedriveFunction finds its Lambda bundle", () => {
  it("is dist/lambdas/redrive under the nearest folder with a package.json above the module (the package or this repository)", () => {
    expect(shippedBundleDir(join(ROOT, "modules", "redrive"))).toBe(join(ROOT, "dist", "lambdas", "redrive"));
    const pkg = mkdtempSync(join(tmpdir(), "installed-"));
    mkdirSync(join(pkg, "modules", "redrive"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), "{}");
    expect(shippedBundleDir(join(pkg, "modules", "redrive"))).toBe(join(pkg, "dist", "lambdas", "redrive"));
  });

  it("does not depend on the working directory: synthesizing from another folder deploys the same bundle", () => {
    // npm test builds the bundle before jest runs; this only proves the lookup ignores process.cwd().
    const json = synthElsewhere((stack) => {
      new RedriveFunction(stack, "redrive", {
        functionName: "r",
        routes: [ROUTE],
        alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:a",
      });
    });
    const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe("where QueueConsumer finds the handler template's bundle by default", () => {
  it("is dist/lambdas/consumer of the package, found from the module, not from the working directory", () => {
    expect(shippedBundleDir(join(ROOT, "modules", "consumer"), "consumer")).toBe(
      join(ROOT, "dist", "lambdas", "consumer"),
    );
    // A product app's working directory has no dist/lambdas/consumer: the default once failed there.
    const json = synthElsewhere((stack) => {
      new QueueConsumer(stack, "c", {
        functionName: "orders-consumer",
        queue: {
          arn: "arn:aws:sqs:eu-west-1:111111111111:q",
          name: "q",
          visibilityTimeoutSeconds: 200,
          deadLetterQueueName: "q-dlq",
        },
        alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:a",
      });
    });
    const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
