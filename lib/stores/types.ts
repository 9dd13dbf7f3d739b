export interface MigrationStatus {
  applied: number;
  known: number;
  latest: string | null;
}

/** What every store tells about itself, whichever engine backs it. */
export interface StoreInfo {
  kind: "embedded" | "server";
  /** Where the data lives: a folder for an embedded engine, a redacted URL for a server. */
  location: string;
  version(): Promise<string>;
  migrations(): Promise<MigrationStatus>;
  close(): Promise<void>;
}
