export * from "./meta";
export * from "./registry";
export * from "./lineage";
export * from "./experiments";
export * from "./runs";
export * from "./labelling";
export * from "./logged-models";
