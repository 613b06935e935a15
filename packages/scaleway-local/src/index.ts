export * from "./server";
export * from "./context";
export * from "./faults/faults";
export * from "./shellQuote";
