/**
 * Public surface for product teams (the `resilient-edge` package root): every construct, its props type
 * and the shared types. Each module is also importable alone (`resilient-edge/api`, `/events`,
 * `/redrive`, `/alarms`), with the props schemas (zod, `...Schema`) and frozen limits (`..._LIMITS`) some modules
 * export; helpers and patterns stay internal.
 * @module @acme/resilient-edge
 */
export * from "./alarms";
export * from "./api";
export * from "./events";
export * from "./redrive";
export * from "./bootstrap";
export * from "./consumer";
export * from "./outbox";
export * from "./saga";
export * from "./fault-injection";
export * from "./dashboard";
export type { DeadLetterRoute } from "./shared/dead-letter-route";
export { PropsError } from "./shared/validation";
