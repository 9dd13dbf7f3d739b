import { ApiError } from "@/lib/query/fetch-json";

/** An API error as a sentence for a person: the server's own message, without the URL prefix. */
export function apiMessage(error: Error): string {
  return error instanceof ApiError ? error.detail : error.message;
}
