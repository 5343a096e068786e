import {
  ACCOUNT_THROTTLE,
  type ApiDefinition,
  type ApiMethodDefinition,
  pathParameters,
  parseMethodKey,
  type ThrottleSettings,
} from "./api-definition";
import { asyncRouteStem, MAX_EDGE_KEY_HEADERS, MAX_EDGE_KEY_QUERY_STRINGS } from "./front-door-rules";
import { API_DEFAULTS } from "./defaults";
import { authorizationProblems } from "./authorization";
import { corsProblems } from "./cors";

/**
 * The rules of an API definition that relate fields to each other: the resource tree, what a method's options allow
 * together, references (models, method keys, tiers), tier limits against the stage, uniqueness. They run as the
 * superRefine of the definition's schema (front-door-schema.ts), once every field has its type.
 */

/** One problem: where in the definition (`["tiers", "small", "throttle"]`) and what was expected. */
export interface DefinitionProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Path = (string | number)[];
type Add = (path: Path, message: string) => void;

/** Methods that carry no request body. */
const BODYLESS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Every cross-field problem of a definition whose fields have their types. */
export function crossFieldProblems(def: ApiDefinition): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const add: Add = (path, message) => out.push({ path, message });
  resourceTreeProblems(def, add);
  for (const [path, methods] of Object.entries(def.resources)) {
    for (const [method, m] of Object.entries(methods) as Array<[string, ApiMethodDefinition | undefined]>) {
      if (m) methodProblems(def, path, method, m, add);
    }
  }
  queueNameProblems(def, add);
  throttleReferenceProblems(def, add);
  apiKeyProblems(def, add);
  authorizationProblems(def, add);
  corsProblems(def, add);
  const a = def.alarms;
  if (
    a?.datapointsToAlarm !== undefined &&
    a.datapointsToAlarm > (a.evaluationPeriods ?? API_DEFAULTS.alarmEvaluationPeriods)
  ) {
    add(
      ["alarms", "datapointsToAlarm"],
      `expected at most evaluationPeriods (${a.evaluationPeriods ?? API_DEFAULTS.alarmEvaluationPeriods}), got ${a.datapointsToAlarm}`,
    );
  }
  return out;
}

/** One {param} child per parent, a greedy {proxy+} only last, no path parameter twice. */
function resourceTreeProblems(def: ApiDefinition, add: Add): void {
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
}

/** A method's model, cache, async route and URI placeholders against each other and the definition. */
function methodProblems(def: ApiDefinition, path: string, method: string, m: ApiMethodDefinition, add: Add): void {
  const at = ["resources", path, method];
  const models = def.models ?? {};
  if (m.requestModel !== undefined) {
    if (!Object.hasOwn(models, m.requestModel))
      add(
        [...at, "requestModel"],
        `unknown model "${m.requestModel}": expected one of the models (${Object.keys(models).join(", ") || "none defined"})`,
      );
    else if (BODYLESS.has(method))
      add([...at, "requestModel"], `${method} requests carry no body to validate: remove requestModel`);
  }
  if (m.cache) {
    if (method !== "GET") add([...at, "cache"], `only GET responses are cached: remove cache from ${method} ${path}`);
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
  if (m.integration.type === "SQS") asyncRouteProblems(method, m, at, add);
  if (m.integration.type === "HTTP_PROXY") {
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

/** An async (SQS) route: a body validated by a model, never cached, one queue (its own rules: route-schema.ts). */
function asyncRouteProblems(method: string, m: ApiMethodDefinition, at: Path, add: Add): void {
  if (m.integration.type !== "SQS") return;
  const { queue, existingQueue } = m.integration;
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
    add([...at, "cache"], "async (SQS) routes are never cached: every request must reach the queue; remove cache");
  if (queue !== undefined && existingQueue !== undefined)
    add(
      [...at, "integration", "existingQueue"],
      "expected either queue (the module creates it) or existingQueue, not both",
    );
}

/** Two async routes must not write to queues of one name (the default names derive from the path). */
function queueNameProblems(def: ApiDefinition, add: Add): void {
  const queueNames = new Map<string, string>();
  for (const [path, methods] of Object.entries(def.resources)) {
    for (const [method, m] of Object.entries(methods) as Array<[string, ApiMethodDefinition | undefined]>) {
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
}

/** Stage and tier method throttles name defined methods; tiers stay within the stage; quotas' offsets below limits. */
function throttleReferenceProblems(def: ApiDefinition, add: Add): void {
  const defined = new Map<string, ApiMethodDefinition>();
  for (const [path, methods] of Object.entries(def.resources)) {
    for (const [method, m] of Object.entries(methods)) if (m) defined.set(`${method} ${path}`, m);
  }
  const checkMethodRef = methodRefChecker(defined, add);
  for (const key of Object.keys(def.methodThrottles ?? {}))
    checkMethodRef(key, ["methodThrottles", key], "method throttle", true);
  for (const [name, tier] of Object.entries(def.tiers ?? {}))
    tierProblems(def, name, tier, defined, checkMethodRef, add);
}

type MethodRefCheck = (key: string, at: Path, what: string, rootAllowed: boolean) => boolean;

/** Checks a method key a throttle names: well formed, defined in resources, and (for plans) not the root. */
function methodRefChecker(defined: ReadonlyMap<string, ApiMethodDefinition>, add: Add): MethodRefCheck {
  return (key, at, what, rootAllowed) => {
    const parsed = parseMethodKey(key);
    if (!parsed) {
      add(at, `expected a method key such as "GET /items/{id}" (METHOD, one space, resource path)`);
      return false;
    }
    if (!defined.has(key)) {
      add(
        at,
        `${what} names ${key}, which is not defined in resources (defined: ${[...defined.keys()].sort().join(", ")})`,
      );
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
}

/** One tier: a throttle under its method throttles, within the stage's; method throttles of defined, non-public methods. */
function tierProblems(
  def: ApiDefinition,
  name: string,
  tier: NonNullable<ApiDefinition["tiers"]>[string],
  defined: ReadonlyMap<string, ApiMethodDefinition>,
  checkMethodRef: MethodRefCheck,
  add: Add,
): void {
  const at = ["tiers", name];
  const methodThrottles = Object.entries(tier.methodThrottles ?? {});
  if (methodThrottles.length > 0 && !tier.throttle) {
    add(
      [...at, "throttle"],
      "required when methodThrottles is set (AWS applies per-method plan throttles only under a plan-level throttle)",
    );
  }
  if (tier.throttle) exceeds(tier.throttle, def.throttle, [...at, "throttle"], "the stage throttle", add);
  for (const [key, t] of methodThrottles) {
    if (!checkMethodRef(key, [...at, "methodThrottles", key], "tier method throttle", false)) continue;
    if (defined.get(key)?.public) {
      add([...at, "methodThrottles", key], `${key} is public (no API key), so no usage plan ever applies to it`);
      continue;
    }
    const stage = def.methodThrottles?.[key];
    exceeds(
      t,
      stage ?? def.throttle,
      [...at, "methodThrottles", key],
      stage ? `the stage throttle of ${key}` : "the stage throttle",
      add,
    );
  }
  const q = tier.quota;
  if (q && q.offset !== undefined && q.offset >= q.limit && q.limit > 0) {
    add([...at, "quota", "offset"], `expected an offset below the quota limit ${q.limit}, got ${q.offset}`);
  }
}

/** A tier's throttle above the stage's, per field. */
function exceeds(t: ThrottleSettings, limit: ThrottleSettings, at: Path, what: string, add: Add): void {
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

/** Each API key in a defined tier, each consumer name once. */
function apiKeyProblems(def: ApiDefinition, add: Add): void {
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
}
