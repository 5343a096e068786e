import type { EnvironmentConfig } from "./schema";

/** An environment config that passed validation, with the file it came from. */
export interface LoadedEnvironment {
  /** Stack name, from the file name (env/prod.json -> prod). */
  readonly name: string;
  /** The file as shown in messages, relative to the working directory. */
  readonly file: string;
  readonly config: EnvironmentConfig;
}
