export * from "./alarm-topic";
