import type { z } from "zod";
import { putBack, withReferenceSamples } from "./reference-samples";
import { PropsError } from "./validation";
import { PARSE_OPTIONS, type SchemaProblem, templateProblems, zodProblems } from "./zod-problems";

/**
 * The one way construct props are validated: the module's zod schema, Terraform references, the checks no schema can
 * make (files on disk, the stack's region and account), every problem at once in one PropsError naming the construct.
 */

/** Props a construct parsed, handed as they are to a part it is made of: the part does not parse them again. */
export class Parsed<T> {
  constructor(readonly props: T) {}
}

/** What parseProps does besides the schema. */
export interface ParseOptions<T> {
  /** Fields that may hold a Terraform reference instead of a literal, each with a well-formed sample the schema judges in its place (reference-samples.ts). @default none: a token is judged as the text it is */
  readonly references?: Readonly<Record<string, string>>;
  /** Problems of checks made outside the schema on the raw props (`path: message`), reported with the schema's. @default none */
  readonly contextProblems?: readonly string[];
  /** Rules that need more than the props (the stack's region and account), run on the parsed props when the schema passed. @default none */
  readonly context?: (parsed: T) => readonly SchemaProblem[];
}

/**
 * Parses construct props with the module's schema: returns what the schema returned (defaults applied, references
 * put back), or throws one PropsError naming `construct` and every problem as `path: message`. Props a parent parsed
 * (`Parsed`) are returned as they are.
 */
export function parseProps<S extends z.ZodType>(
  construct: string,
  schema: S,
  props: unknown,
  options: ParseOptions<z.output<S>> = {},
): z.output<S> {
  if (props instanceof Parsed) return props.props as z.output<S>;
  const { value, references } = options.references
    ? withReferenceSamples(props, options.references)
    : { value: props, references: [] };
  const result = schema.safeParse(value, PARSE_OPTIONS);
  const problems = [...(result.success ? [] : zodProblems(result.error.issues)), ...templateProblems(props)].map(
    (p) => `${p.path || "props"}: ${p.message}`,
  );
  problems.push(...(options.contextProblems ?? []));
  if (problems.length > 0) throw new PropsError(construct, problems);
  const parsed = result.data as z.output<S>;
  for (const { path, token } of references) putBack(parsed, path, token);
  const context = options.context?.(parsed) ?? [];
  if (context.length > 0)
    throw new PropsError(
      construct,
      context.map((p) => `${p.path}: ${p.message}`),
    );
  return parsed;
}
