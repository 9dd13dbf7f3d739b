import type { Stores } from "@/lib/stores/index.server";

/** One feature's part of the demo workspace (see lib/demo/index.server.ts). */
export interface DemoSeeder {
  /** Stable key; changing it seeds again on existing stores. */
  key: string;
  run(stores: Stores, log: (message: string) => void): Promise<void>;
}
