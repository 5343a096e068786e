import {
  ACCOUNT_THROTTLE,
  type ApiDefinition,
  type ApiMethodDefinition,
  pathParameters,
  parseMethodKey,
  type ThrottleSettings,
} from "./api-definition";
import { MESSAGE_SIZE_BYTES } from "../events/eventbridge-rules";

/**
 * The patterns and limits of an API definition's fields (front-door-schema.ts builds the zod schema from them), and the
 * rules that relate fields to each other (`crossFieldProblems`, the schema's superRefine): one owner for every rule,
 * used by RestApiFrontDoor's props and, composed, by the environment config.
 */

/** One problem: where in the definition (`["tiers", "small", "throttle"]`) and what was expected. */
export interface DefinitionProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const STAGE_NAME_PATTERN = /^[A-Za-z0-9_]{1,128}$/;
export const RESOURCE_PATH_PATTERN = /^\/$|^(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\+?\}))+$/;
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9]{1,128}$/;
export const REQUEST_PARAMETER_PATTERN = /^(querystring|header)\.[A-Za-z0-9._-]{1,128}$/;
export const TIER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const API_KEY_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const DOMAIN_NAME_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
export const CLOUDFRONT_CERTIFICATE_ARN_PATTERN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
export const CLOUDFRONT_WEB_ACL_ARN_PATTERN =
  /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;
export const KMS_KEY_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
export const ALARM_PERIODS = [60, 300, 900, 3600] as const;
/** Bounds of the alarm thresholds (inclusive). */
export const ALARM_THRESHOLD_LIMITS = {
  serverErrors: { min: 1, max: 1_000_000 },
  percent: { min: 0, max: 100 },
  latencyP99Ms: { min: 1, max: 60_000 },
  evaluationPeriods: { min: 1, max: 10 },
} as const;
/** Status codes a MOCK integration may answer with. */
export const MOCK_STATUS_CODES = { min: 100, max: 599 } as const;
/** An https:// backend URL of an HTTP_PROXY integration. */
export const HTTPS_URL_PATTERN = /^https:\/\/[^\s/]+(\/\S*)?$/;
/** SNS topic ARN (the alarm topic). */
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
/** CloudFront cache policies allow 10 headers; `x-api-key` takes one. */
export const MAX_EDGE_KEY_HEADERS = 9;
/** CloudFront cache policies allow 10 query strings. */
export const MAX_EDGE_KEY_QUERY_STRINGS = 10;
/** Queue names an async route may give (a standard queue; its DLQ adds "-dlq"). */
export const ASYNC_QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,76}$/;
/** Defaults of the queue an async route's module creates. */
export const ASYNC_QUEUE_DEFAULTS = {
  visibilityTimeoutSeconds: 180,
  messageRetentionSeconds: 345600,
  maxReceiveCount: 5,
  maxMessageSizeBytes: MESSAGE_SIZE_BYTES.max,
} as const;
/** Default queue name (and role name stem) of an async route: `<api>-<resource>-<method>`, lower case (`shop-orders-post`). */
export function asyncRouteStem(apiName: string, resourcePath: string, method: string): string {
  const slug = resourcePath === "/" ? "root" : resourcePath.slice(1).replace(/\//g, "-");
  return `${apiName}-${slug}-${method}`
    .replace(/[^A-Za-z0-9_-]/g, "")
    .toLowerCase()
    .slice(0, 76);
}
/** Methods that carry no request body. */
const BODYLESS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Rules that relate fields to each other: references, limits against the stage, uniqueness. */
export function crossFieldProblems(def: ApiDefinition): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path, message });
  const defined = new Map<string, ApiMethodDefinition>();
  for (const [path, methods] of Object.entries(def.resources)) {
    for (const [method, m] of Object.entries(methods)) if (m) defined.set(`${method} ${path}`, m);
  }
  const definedList = () => [...defined.keys()].sort().join(", ");
  const models = def.models ?? {};
  const stageLimitFor = (key: string): ThrottleSettings => def.methodThrottles?.[key] ?? def.throttle;

  // Resource tree: one {param} child per parent; {proxy+} only last.
  const variableChild = new Map<string, string>();
  for (const path of Object.keys(def.resources).sort()) {
    const segments = path.split("/").slice(1);
    for (const [i, seg] of segments.entries()) {
      if (/^\{.*\+\}$/.test(seg) && i < segments.length - 1) {
        add(["resources", path], `a greedy {${seg.slice(1, -2)}+} segment must be the last one`);
      }
      if (seg.startsWith("{")) {
        const parent = `/${segments.slice(0, i).join("/")}`;
        const other = variableChild.get(parent);
        if (other && other !== seg)
          add(
            ["resources", path],
            `"${parent}" already has the path parameter ${other}: API Gateway allows one {param} child per resource`,
          );
        else variableChild.set(parent, seg);
      }
    }
    const names = pathParameters(path);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) add(["resources", path], `path parameter {${dup}} appears twice`);
  }

  for (const [path, methods] of Object.entries(def.resources)) {
    for (const [method, m] of Object.entries(methods) as Array<[string, ApiMethodDefinition]>) {
      if (!m) continue;
      const at = ["resources", path, method];
      if (m.requestModel !== undefined) {
        if (!(m.requestModel in models))
          add(
            [...at, "requestModel"],
            `unknown model "${m.requestModel}": expected one of the models (${Object.keys(models).join(", ") || "none defined"})`,
          );
        else if (BODYLESS.has(method))
          add([...at, "requestModel"], `${method} requests carry no body to validate: remove requestModel`);
      }
      if (m.cache) {
        if (method !== "GET")
          add([...at, "cache"], `only GET responses are cached: remove cache from ${method} ${path}`);
        const headers = (m.cache.keyParameters ?? []).filter((p) => p.startsWith("header."));
        const queries = (m.cache.keyParameters ?? []).filter((p) => p.startsWith("querystring."));
        if (
          def.caching?.layer === "edge" &&
          (headers.length > MAX_EDGE_KEY_HEADERS || queries.length > MAX_EDGE_KEY_QUERY_STRINGS)
        ) {
          add(
            [...at, "cache", "keyParameters"],
            `edge caching allows at most ${MAX_EDGE_KEY_HEADERS} header and ${MAX_EDGE_KEY_QUERY_STRINGS} query-string key parameters (x-api-key is always in the key)`,
          );
        }
      }
      if (m.integration.type === "SQS") {
        if (BODYLESS.has(method))
          add(
            [...at, "integration"],
            `an async (SQS) route stores the request body: expected POST, PUT, PATCH or DELETE, got ${method}`,
          );
        else if (m.requestModel === undefined)
          add(
            [...at, "requestModel"],
            "required for an async (SQS) route: the body goes straight to the queue, so API Gateway must validate it first",
          );
        if (m.cache !== undefined)
          add(
            [...at, "cache"],
            "async (SQS) routes are never cached: every request must reach the queue; remove cache",
          );
        if (m.integration.queue !== undefined && m.integration.existingQueue !== undefined)
          add(
            [...at, "integration", "existingQueue"],
            "expected either queue (the module creates it) or existingQueue, not both",
          );
        if (m.integration.queue?.encryption === "kms" && !m.integration.queue.kmsKeyArn)
          add([...at, "integration", "queue", "kmsKeyArn"], 'expected a KMS key ARN when encryption is "kms"');
        if (m.integration.queue?.kmsKeyArn !== undefined && m.integration.queue.encryption !== "kms")
          add([...at, "integration", "queue", "encryption"], 'expected "kms" when kmsKeyArn is set');
      }
      if (m.integration.type === "HTTP_PROXY" && typeof m.integration.uri === "string") {
        const params = pathParameters(path);
        for (const placeholder of [...m.integration.uri.matchAll(/\{([^}]+)\}/g)].map((x) => x[1].replace(/\+$/, ""))) {
          if (!params.includes(placeholder))
            add(
              [...at, "integration", "uri"],
              `placeholder {${placeholder}} is not a path parameter of ${path} (${params.map((p) => `{${p}}`).join(", ") || "none"})`,
            );
        }
      }
    }
  }

  // Async routes: two routes must not write to queues of one name (defaults derive from the path).
  const queueNames = new Map<string, string>();
  for (const [path, methods] of Object.entries(def.resources)) {
    for (const [method, m] of Object.entries(methods) as Array<[string, ApiMethodDefinition]>) {
      if (m?.integration.type !== "SQS" || m.integration.existingQueue) continue;
      const name = m.integration.queue?.name ?? asyncRouteStem(def.name, path, method);
      const other = queueNames.get(name);
      if (other)
        add(
          ["resources", path, method, "integration", "queue", "name"],
          `queue name "${name}" is already the queue of ${other}: give one of them queue.name`,
        );
      else queueNames.set(name, `${method} ${path}`);
    }
  }

  const checkMethodRef = (key: string, at: (string | number)[], what: string, rootAllowed: boolean): boolean => {
    const parsed = parseMethodKey(key);
    if (!parsed) {
      add(at, `expected a method key such as "GET /items/{id}" (METHOD, one space, resource path)`);
      return false;
    }
    if (!defined.has(key)) {
      add(at, `${what} names ${key}, which is not defined in resources (defined: ${definedList()})`);
      return false;
    }
    if (parsed.path === "/" && !rootAllowed) {
      add(
        at,
        `${what}s cannot address the root resource (AWS documents no usage-plan method path for it): use the tier throttle, or move the method under a resource`,
      );
      return false;
    }
    return true;
  };

  for (const key of Object.keys(def.methodThrottles ?? {}))
    checkMethodRef(key, ["methodThrottles", key], "method throttle", true);

  for (const [name, tier] of Object.entries(def.tiers ?? {})) {
    const at = ["tiers", name];
    const methodThrottles = Object.entries(tier.methodThrottles ?? {});
    if (methodThrottles.length > 0 && !tier.throttle) {
      add(
        [...at, "throttle"],
        "required when methodThrottles is set (AWS applies per-method plan throttles only under a plan-level throttle)",
      );
    }
    if (tier.throttle) {
      exceeds(tier.throttle, def.throttle, [...at, "throttle"], "the stage throttle");
    }
    for (const [key, t] of methodThrottles) {
      if (!checkMethodRef(key, [...at, "methodThrottles", key], "tier method throttle", false)) continue;
      if (defined.get(key)?.public) {
        add([...at, "methodThrottles", key], `${key} is public (no API key), so no usage plan ever applies to it`);
        continue;
      }
      exceeds(
        t,
        stageLimitFor(key),
        [...at, "methodThrottles", key],
        def.methodThrottles?.[key] ? `the stage throttle of ${key}` : "the stage throttle",
      );
    }
    if (
      tier.quota &&
      tier.quota.offset !== undefined &&
      tier.quota.offset >= tier.quota.limit &&
      tier.quota.limit > 0
    ) {
      add(
        [...at, "quota", "offset"],
        `expected an offset below the quota limit ${tier.quota.limit}, got ${tier.quota.offset}`,
      );
    }
  }

  const tiers = Object.keys(def.tiers ?? {});
  const seen = new Map<string, number>();
  for (const [i, key] of (def.apiKeys ?? []).entries()) {
    if (!tiers.includes(key.tier)) {
      add(
        ["apiKeys", i, "tier"],
        `unknown tier "${key.tier}": expected one of ${tiers.map((t) => `"${t}"`).join(", ") || "(no tiers defined)"}`,
      );
    }
    const first = seen.get(key.name);
    if (first !== undefined)
      add(
        ["apiKeys", i, "name"],
        `duplicate API key name "${key.name}" (also apiKeys[${first}]): a consumer has one key in exactly one tier`,
      );
    else seen.set(key.name, i);
  }

  const a = def.alarms;
  if (a?.datapointsToAlarm !== undefined && a.datapointsToAlarm > (a.evaluationPeriods ?? 3)) {
    add(
      ["alarms", "datapointsToAlarm"],
      `expected at most evaluationPeriods (${a.evaluationPeriods ?? 3}), got ${a.datapointsToAlarm}`,
    );
  }
  return out;

  function exceeds(t: ThrottleSettings, limit: ThrottleSettings, at: (string | number)[], what: string) {
    // An out-of-range throttle is reported by the field checks; comparing against it would only add noise.
    if (!validThrottle(t) || !validThrottle(limit)) return;
    if (t.rateLimit > limit.rateLimit)
      add(
        [...at, "rateLimit"],
        `${t.rateLimit} exceeds ${what} (${limit.rateLimit} requests/s): a tier can never get more than the stage allows`,
      );
    if (t.burstLimit > limit.burstLimit)
      add(
        [...at, "burstLimit"],
        `${t.burstLimit} exceeds ${what} burst (${limit.burstLimit}): a tier can never get more than the stage allows`,
      );
  }
}

function validThrottle(t: ThrottleSettings): boolean {
  return (
    Number.isFinite(t.rateLimit) &&
    t.rateLimit >= 0 &&
    t.rateLimit <= ACCOUNT_THROTTLE.rateLimit &&
    Number.isInteger(t.burstLimit) &&
    t.burstLimit >= 0 &&
    t.burstLimit <= ACCOUNT_THROTTLE.burstLimit
  );
}
