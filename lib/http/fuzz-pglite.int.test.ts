import { describeFuzz } from "./testing/fuzz-suite";

// One file per Postgres backend, so the two runs can go in parallel (each with its own chDB).
describeFuzz("pglite");
