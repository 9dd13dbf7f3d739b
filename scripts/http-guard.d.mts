import type { IncomingMessage, ServerResponse } from "node:http";

export declare const HOST_SETTING: "HOST";
export declare const PUBLIC_URL_SETTING: "LLMOPS_PUBLIC_URL";
export interface PublicOrigin {
  protocol: "http:" | "https:";
  /** Host and port as the URL parser writes them (default port omitted). */
  host: string;
  origin: string;
}
export declare function parseListenHost(value: string | undefined): string;
export declare function isWildcardHost(host: string): boolean;
export declare function parsePublicOrigins(value: string | undefined): PublicOrigin[];
export declare function isLoopbackHost(header: string): boolean;
export declare function isIpAddressHost(header: string): boolean;
export declare function hostDecision(
  header: string | string[] | undefined,
  publicOrigins: readonly PublicOrigin[],
): { ok: true } | { ok: false; message: string };
export declare function guardErrorBody(pathname: string, gateway: boolean, status: number, code: string, message: string): unknown;
export declare function securityHeaders(options: { api: boolean; nonce?: string; https?: boolean; dev?: boolean }): Record<string, string>;
export declare function guardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: { publicOrigins: readonly PublicOrigin[]; gateway: boolean; dev?: boolean },
): boolean;
