export * from "./redrive-function";
