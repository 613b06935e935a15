// The pack's policies and helpers, without starting the analyzer (that is ./pack.ts).
export * from "./configFile";
export * from "./definePolicy";
export * from "./enforcement";
export * from "./environment";
export * from "./packConfig";
export * from "./policies";
export { BACKUP_JOBS_EXCEPTION, type FullAccessException } from "./iam";
