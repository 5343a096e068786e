/** Reading a synthesized Terraform JSON: what a value refers to, and what to call a resource. */

/** A resource's own name when it is literal, else its logical name. */
export function labelOf(r: Record<string, unknown>, logicalName: string): string {
  const name = [r.name, r.function_name, r.comment].find((v) => typeof v === "string" && !v.includes("${"));
  return (name as string | undefined) ?? logicalName.replace(/_[0-9A-F]{8}$/, "");
}

/** Every `type.name` a value refers to (`${type.name.attribute}`), of the given resource types. */
export function referencesIn(value: unknown, types: readonly string[]): string[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  const found = [...text.matchAll(/\$\{([a-z0-9_]+)\.([\w-]+)\.[a-z_]+\}/g)]
    .filter((m) => types.includes(m[1]))
    .map((m) => `${m[1]}.${m[2]}`);
  return [...new Set(found)];
}
