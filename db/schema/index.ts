export * from "./auth";
export * from "./organizations";
export * from "./audit";
export * from "./api-keys";
export * from "./instances";
export * from "./tokens";
export * from "./code-packages";
