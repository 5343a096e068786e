/**
 * A synthesized dashboard body as PutDashboard will read it after Terraform filled in its references: every
 * `${...}` (which may hold quotes, e.g. `${element(split(":", x), 5)}`) is replaced by a placeholder naming the
 * reference, so the text parses as JSON.
 */
export function parseDashboardBody(text: string): any {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf("${", i);
    if (at < 0) break;
    let depth = 0;
    let j = at + 1;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    out += `${text.slice(i, at)}<ref ${text.slice(at + 2, j).replace(/["\\]/g, "'")}>`;
    i = j + 1;
  }
  return JSON.parse(out + text.slice(i));
}

/** Every metric of a body, flattened: namespace, name, dimensions, stat. */
export function metricsOf(
  body: any,
): { namespace: string; name: string; dimensions: Record<string, string>; stat: string }[] {
  return body.widgets
    .filter((w: any) => w.type === "metric")
    .flatMap((w: any) => w.properties.metrics)
    .map((m: any[]) => {
      const pairs = m.slice(2, -1);
      const dimensions: Record<string, string> = {};
      for (let k = 0; k < pairs.length; k += 2) dimensions[pairs[k]] = pairs[k + 1];
      return { namespace: m[0], name: m[1], dimensions, stat: m.at(-1).stat };
    });
}
