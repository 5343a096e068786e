import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { FIELD_MEANINGS } from "../../stacks/config/field-meanings";
import { ENV_SCHEMA_FILE, environmentJsonSchema } from "../../stacks/config/json-schema";
import { FIXTURE_ENV_DIR } from "../helpers/env-fixtures";

const schema = environmentJsonSchema(FIELD_MEANINGS);
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURE_ENV_DIR, name), "utf8"));
const errorsOf = (value: unknown) => {
  validate(value);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

describe(`${ENV_SCHEMA_FILE} (npm run docs:env): what an editor checks an env file against`, () => {
  it("is up to date with the zod schema", () => {
    // Stale? Run `npm run docs:env` and commit it.
    expect(readFileSync(ENV_SCHEMA_FILE, "utf8")).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it("accepts every example env file, with its $schema line", () => {
    const files = readdirSync(FIXTURE_ENV_DIR).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(errorsOf({ $schema: `../${ENV_SCHEMA_FILE}`, ...fixture(f) })).toEqual([]);
  });

  it("flags what the config refuses by field: an unknown key, a wrong type, an out-of-range number, a bad pattern", () => {
    const env = fixture("staging.json");
    expect(errorsOf({ ...env, owners: "x" })).toContainEqual(" must NOT have additional properties");
    expect(errorsOf({ ...env, production: "yes" })).toContainEqual("/production must be boolean");
    expect(errorsOf({ ...env, account: { ...env.account, id: "12345" } })).toContainEqual(
      expect.stringMatching(/^\/account\/id must match pattern/),
    );
    const defaults = { ...env.events.defaults, maxReceiveCount: 0 };
    expect(errorsOf({ ...env, events: { ...env.events, defaults } })).toContainEqual(
      "/events/defaults/maxReceiveCount must be >= 1",
    );
  });

  it("describes every field it lists, as docs/env-reference.md does", () => {
    const undescribed: string[] = [];
    const walk = (node: any, path: string) => {
      for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
        if (!child.description) undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
    };
    walk(schema, "");
    expect(undescribed).toEqual([]);
  });
});
