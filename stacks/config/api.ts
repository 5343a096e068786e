import type { z } from "zod";
import { apiCachingSchema, apiDefinitionSchema } from "../../modules/api/front-door-schema";

/**
 * The `api` section of env/<name>.json: RestApiFrontDoor's definition props (modules/api), spread into them by
 * stacks/api-front-door.ts. The module owns every field rule and the rules between fields (its `apiDefinitionSchema`,
 * superRefine included); the config composes that schema and adds only what is the config's own choice.
 */
export const apiSchema = apiDefinitionSchema.safeExtend({
  // Config only: an environment file states whether it caches (the module takes a missing `enabled` as true).
  caching: apiCachingSchema.extend({ enabled: apiCachingSchema.shape.enabled.unwrap() }).optional(),
});

/** A validated `api` section: RestApiFrontDoor props without the wiring. */
export type ApiConfig = z.infer<typeof apiSchema>;
