export * from "./meta";
export * from "./registry";
export * from "./lineage";
