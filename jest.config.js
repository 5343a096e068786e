/** Jest: @swc/jest strips types (tsc --noEmit type-checks separately), tests mirror the source tree under test/. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  // cdktn and zod as one file each (scripts/build.mjs, TEST_DEPS; built by the global setup): a test file loads each
  // package once instead of module by module.
  moduleNameMapper: {
    "^cdktn$": "<rootDir>/.build/test-deps/cdktn.cjs",
    "^zod$": "<rootDir>/.build/test-deps/zod.cjs",
  },
  globalSetup: "<rootDir>/test/helpers/global-setup.js",
  setupFilesAfterEnv: ["<rootDir>/test/helpers/setup.ts"],
  globalTeardown: "<rootDir>/test/helpers/global-teardown.js",
  testTimeout: 30000,
  // The default output, then the ten slowest files (test/helpers/slowest-reporter.js).
  reporters: ["default", "<rootDir>/test/helpers/slowest-reporter.js"],
  // Two workers on this 2-core machine: jest defaults to cores - 1 (one), and most suites wait on child
  // processes (emulator, CLI, bundle), so a second worker halves wall time.
  maxWorkers: 3,
  // No watchman here: without it jest tries each folder of the PATH for the binary before crawling with node.
  watchman: false,
};
