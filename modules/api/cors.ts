import type { ApiDefinition, CorsOptions } from "./api-definition";
import { API_DEFAULTS } from "./defaults";

/**
 * CORS as API Gateway answers it, pure: the header values of a preflight, the mapping template that allows one of
 * several origins (API Gateway maps a header to a constant only, so the template echoes the request's Origin when it
 * is allowed, through `$context.responseOverride`), and the rules between CORS and the routes. api-cors.ts builds on it.
 */

/** The preflight's headers (besides Access-Control-Allow-Origin), as API Gateway's quoted constants. */
export function preflightHeaders(cors: CorsOptions, methods: readonly string[]): Record<string, string> {
  const quote = (v: string) => `'${v}'`;
  return {
    "Access-Control-Allow-Methods": quote([...methods, "OPTIONS"].join(",")),
    "Access-Control-Allow-Headers": quote((cors.allowHeaders ?? API_DEFAULTS.corsAllowHeaders).join(",")),
    "Access-Control-Max-Age": quote(String(cors.maxAgeSeconds ?? API_DEFAULTS.corsMaxAgeSeconds)),
    ...(cors.allowCredentials ? { "Access-Control-Allow-Credentials": quote("true") } : {}),
  };
}

/** Headers every response the module answers carries (Allow-Origin aside): credentials and exposed headers. */
export function responseHeaders(cors: CorsOptions): Record<string, string> {
  return {
    ...(cors.allowCredentials ? { "Access-Control-Allow-Credentials": "'true'" } : {}),
    ...(cors.exposeHeaders ? { "Access-Control-Expose-Headers": `'${cors.exposeHeaders.join(",")}'` } : {}),
  };
}

/** The one origin API Gateway can answer as a constant (`*` or the only origin), else undefined (several origins). */
export function constantOrigin(cors: CorsOptions): string | undefined {
  return cors.allowOrigins.length === 1 ? cors.allowOrigins[0] : undefined;
}

/**
 * A mapping-template prefix that answers Access-Control-Allow-Origin with the request's Origin when it is one of
 * `origins` (and `Vary: Origin`, so no cache serves one origin's answer to another), nothing otherwise. Header
 * names arrive as the client wrote them, so both spellings are read.
 */
export function originOverride(origins: readonly string[]): string {
  const allowed = origins.map((o) => `$origin == "${o}"`).join(" || ");
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${allowed})`,
    "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)",
    '#set($context.responseOverride.header.Vary = "Origin")',
    "#end",
    "",
  ].join("\n");
}

type Add = (path: (string | number)[], message: string) => void;

/** A resource that defines OPTIONS itself while CORS is on: its method would take the preflight's place. */
export function corsProblems(def: ApiDefinition, add: Add): void {
  if (!def.cors) return;
  for (const [path, methods] of Object.entries(def.resources))
    if (methods.OPTIONS)
      add(
        ["resources", path, "OPTIONS"],
        "with cors set, the module answers OPTIONS (the CORS preflight) on every resource: remove this method or cors",
      );
}
