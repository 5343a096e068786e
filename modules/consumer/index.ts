export * from "./consumer-rules";
export * from "./idempotency-table";
export * from "./consumer-alarms";
export * from "./queue-consumer";
