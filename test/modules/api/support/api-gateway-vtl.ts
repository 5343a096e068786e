/**
 * Test support: renders API Gateway (REST) mapping templates with velocityjs, with `$input`,
 * `$util` and `$context` objects shaped like API Gateway's: `$input.body` is the raw payload,
 * `$input.params()` the path, query-string and header maps (Java maps, so `.get(name)`),
 * `$input.path`/`$input.json` evaluate simple JSONPath over the body, and `$util.urlEncode` is
 * Java's URLEncoder in UTF-8 (space as '+', only letters, digits and `.-*_` left as they are).
 */
import { render } from "velocityjs";

/** A request as API Gateway hands it to a mapping template. */
export interface TemplateRequest {
  /** The raw body. */
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly querystring?: Readonly<Record<string, string>>;
  readonly path?: Readonly<Record<string, string>>;
  /** `$context` values (requestId, identity.apiKeyId, ...). */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Java's `URLEncoder.encode(s, "UTF-8")`, which `$util.urlEncode` is. */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** A Java-like map: `.get(name)`, and the entries as properties (as VTL's `$map.name`). */
function javaMap(entries: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    ...entries,
    get: (name: string) => entries[name],
    keySet: () => Object.keys(entries),
    size: () => Object.keys(entries).length,
  };
}

/** `$.a.b[0].c` over a parsed JSON value; undefined where the path is missing. */
function jsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith("$")) throw new Error(`unsupported JSONPath ${path}`);
  const steps = [...path.slice(1).matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  let cur: any = value;
  for (const s of steps) cur = cur === null || cur === undefined ? undefined : cur[s];
  return cur;
}

/** A rendered integration response: the body and what the template overrode (`$context.responseOverride`). */
export interface RenderedResponse {
  readonly body: string;
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Renders an integration response template, with `$context.responseOverride` as API Gateway offers it. */
export function renderResponse(template: string, request: TemplateRequest): RenderedResponse {
  const responseOverride: { status?: number; header: Record<string, string> } = { header: {} };
  const body = renderTemplate(template, { ...request, context: { ...request.context, responseOverride } });
  return { body, status: responseOverride.status, headers: { ...responseOverride.header } };
}

/** Renders `template` for `request`, as API Gateway would. */
export function renderTemplate(template: string, request: TemplateRequest): string {
  const parsed = () => JSON.parse(request.body);
  const input = {
    body: request.body,
    params: (name?: string) => {
      const maps = { path: request.path ?? {}, querystring: request.querystring ?? {}, header: request.headers ?? {} };
      if (name === undefined)
        return { path: javaMap(maps.path), querystring: javaMap(maps.querystring), header: javaMap(maps.header) };
      return maps.path[name] ?? maps.querystring[name] ?? maps.header[name] ?? "";
    },
    path: (p: string) => jsonPath(parsed(), p),
    json: (p: string) => JSON.stringify(jsonPath(parsed(), p) ?? null),
  };
  const util = {
    urlEncode: javaUrlEncode,
    urlDecode: (s: string) => decodeURIComponent(s.replace(/\+/g, " ")),
    escapeJavaScript: (s: string) => JSON.stringify(s).slice(1, -1),
  };
  const context = { requestId: "req-1", identity: {}, ...request.context };
  return render(template, { input, util, context }, undefined, { escape: false });
}
