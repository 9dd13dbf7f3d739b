import type { IncomingMessage, Server, ServerResponse } from "node:http";

export declare const DRAIN: unique symbol;
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
export declare function drainable(
  server: Server,
  options?: { graceMs?: number; log?: (message: string) => void },
): { wrap(handler: Handler): Handler; drain(): Promise<void>; readonly stopping: boolean };
