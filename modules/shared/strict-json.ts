/**
 * What JSON.parse lets through in a config file and a reader must not: a key given twice (JSON.parse
 * keeps the last one silently: `"production": true, ..., "production": false` reads as false), a
 * `__proto__` key (an object built by assignment loses it), a number beyond a 64-bit float (`1e309`
 * reads as Infinity), and, in any key or string, a Terraform template sequence (`${...}` or `%{...}`):
 * every string of a config reaches Terraform as a literal, and Terraform would evaluate one
 * (`${file("/etc/hostname")}` reads a file at plan; `${timestamp()}` changes every plan).
 * Problems carry the JSON path (as the schema's messages print it) and the line.
 */
import { type JsonPath, walkJson } from "./json-walk";
import { templateSequenceProblem } from "./terraform-literal";
import { formatPath } from "./zod-problems";

/** One problem of a JSON text, at a field path and a line (1-based). */
export interface JsonTextProblem {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** Every duplicate key, `__proto__` key, non-finite number and template sequence in `text` (valid JSON). */
export function strictJsonProblems(text: string): JsonTextProblem[] {
  const problems: JsonTextProblem[] = [];
  const objects: Map<string, number>[] = [];
  const add = (path: JsonPath, line: number, message: string) =>
    problems.push({ path: formatPath(path), line: line + 1, message });
  walkJson(text, {
    objectBegin: () => void objects.push(new Map()),
    objectEnd: () => void objects.pop(),
    property: (key, line, at) => {
      const path = [...at, key];
      const seen = objects[objects.length - 1];
      const first = seen.get(key);
      if (first !== undefined)
        add(path, line, `duplicate key (lines ${first + 1} and ${line + 1}): JSON keeps only the last one; remove one`);
      else seen.set(key, line);
      if (key === "__proto__") add(path, line, 'the key "__proto__" is dropped by JavaScript objects: rename it');
      const template = templateSequenceProblem(key);
      if (template) add(path, line, `key ${template}`);
    },
    literal: (value, raw, line, path) => {
      if (typeof value === "number" && !Number.isFinite(value))
        add(path, line, `${raw} is beyond a 64-bit number (it reads as ${value})`);
      if (typeof value === "string") {
        const template = templateSequenceProblem(value);
        if (template) add(path, line, template);
      }
    },
  });
  return problems;
}
