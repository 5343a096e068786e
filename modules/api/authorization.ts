import type { ApiAuthorizer, ApiDefinition, ApiMethodDefinition } from "./api-definition";
import { suggestion } from "../shared/did-you-mean";
import { API_DEFAULTS } from "./defaults";

/**
 * How each method is authorized, from the definition: the rules between a method and the API's authorizers, and what
 * an authorizer adds to a cached method's key. Pure; api-authorizers.ts creates the authorizers.
 */

/** The API's authorizers and its default: what a method's authorization is resolved against. */
export type AuthorizationSettings = Pick<ApiDefinition, "authorizers" | "defaultAuthorization">;

/** A method's authorization as API Gateway's `aws_api_gateway_method` takes it. */
export interface MethodAuthorization {
  readonly authorization: "NONE" | "AWS_IAM" | "CUSTOM" | "COGNITO_USER_POOLS";
  /** The authorizer's name in `authorizers`, for CUSTOM and COGNITO_USER_POOLS. @default none (NONE and AWS_IAM) */
  readonly authorizer?: string;
  /** The method's OAuth scopes (Cognito). @default none */
  readonly scopes?: readonly string[];
}

/** The authorization a method gets: its own, else the API's default, else none (the API key alone). */
export function methodAuthorization(def: AuthorizationSettings, m: ApiMethodDefinition): MethodAuthorization {
  const name = m.authorization ?? def.defaultAuthorization ?? API_DEFAULTS.authorization;
  if (name === "NONE" || name === "AWS_IAM") return { authorization: name };
  const authorizer = def.authorizers?.[name];
  const authorization = authorizer?.type === "COGNITO_USER_POOLS" ? "COGNITO_USER_POOLS" : "CUSTOM";
  return { authorization, authorizer: name, ...(m.authorizationScopes ? { scopes: m.authorizationScopes } : {}) };
}

/** Where an authorizer reads the caller's identity from (`method.request.header.Authorization`, ...). */
export function identitySources(a: ApiAuthorizer): readonly string[] {
  if (a.type === "REQUEST") return a.identitySources ?? [];
  return [a.identitySource ?? API_DEFAULTS.authorizerIdentitySource];
}

/**
 * What a cached method's key must hold so that no caller is served another's response: the identity sources of its
 * authorizer that a cache key can hold (`header.Authorization`, `querystring.token`).
 */
export function identityCacheKey(def: AuthorizationSettings, m: ApiMethodDefinition): string[] {
  const { authorizer } = methodAuthorization(def, m);
  const a = authorizer ? def.authorizers?.[authorizer] : undefined;
  if (!a) return [];
  return identitySources(a)
    .map((s) => /^method\.request\.((header|querystring)\..+)$/.exec(s)?.[1])
    .filter((s): s is string => s !== undefined);
}

type Add = (path: (string | number)[], message: string) => void;

/** Every authorization problem of a definition: unknown names, scopes without Cognito, caches that would leak. */
export function authorizationProblems(def: ApiDefinition, add: Add): void {
  const names = Object.keys(def.authorizers ?? {});
  const known = [...names, "AWS_IAM", "NONE"];
  const unknown = (name: string) => !known.includes(name);
  if (def.defaultAuthorization !== undefined && unknown(def.defaultAuthorization))
    add(
      ["defaultAuthorization"],
      `unknown authorizer "${def.defaultAuthorization}": ${suggestion(def.defaultAuthorization, known)}`,
    );
  for (const [name, a] of Object.entries(def.authorizers ?? {}))
    if (
      a.type === "REQUEST" &&
      !a.identitySources &&
      (a.resultTtlSeconds ?? API_DEFAULTS.authorizerResultTtlSeconds) > 0
    )
      add(
        ["authorizers", name, "identitySources"],
        "required while results are cached (resultTtlSeconds > 0): API Gateway caches a REQUEST authorizer's verdict by them",
      );
  for (const [path, methods] of Object.entries(def.resources))
    for (const [method, m] of Object.entries(methods) as [string, ApiMethodDefinition | undefined][])
      if (m) methodAuthorizationProblems(def, ["resources", path, method], m, { known, add });
}

function methodAuthorizationProblems(
  def: ApiDefinition,
  at: (string | number)[],
  m: ApiMethodDefinition,
  ctx: { known: readonly string[]; add: Add },
): void {
  if (m.authorization !== undefined && !ctx.known.includes(m.authorization)) {
    ctx.add(
      [...at, "authorization"],
      `unknown authorizer "${m.authorization}": ${suggestion(m.authorization, ctx.known)}`,
    );
    return;
  }
  const auth = methodAuthorization(def, m);
  // An unknown default is reported once, at defaultAuthorization; its consequences here would only repeat it.
  if (auth.authorizer && !def.authorizers?.[auth.authorizer]) return;
  if (m.authorizationScopes && auth.authorization !== "COGNITO_USER_POOLS")
    ctx.add(
      [...at, "authorizationScopes"],
      `scopes are checked only by a Cognito user pool authorizer; this method's authorization is ${auth.authorizer ?? auth.authorization}`,
    );
  if (!m.cache) return;
  if (auth.authorization === "AWS_IAM")
    ctx.add(
      [...at, "cache"],
      "a method authorized with AWS_IAM cannot be cached: its signature differs on every request, so the cache would either never hit or serve one caller's response to another",
    );
  const a = auth.authorizer ? def.authorizers?.[auth.authorizer] : undefined;
  const unkeyable = a ? identitySources(a).filter((s) => !s.startsWith("method.request.")) : [];
  if (unkeyable.length > 0)
    ctx.add(
      [...at, "cache"],
      `the authorizer ${auth.authorizer} identifies callers by ${unkeyable.join(", ")}, which a cache key cannot hold: a cached response could reach another caller`,
    );
}
