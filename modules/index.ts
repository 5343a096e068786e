/** Public surface for product teams: import constructs from here or from each module's folder. */
export * from "./alarms";
export * from "./shared/validation";
export * from "./shared/aws-context";
export * from "./shared/dead-letter-route";
export * from "./events";
export * from "./api";
export * from "./redrive";
export * from "./consumer";
