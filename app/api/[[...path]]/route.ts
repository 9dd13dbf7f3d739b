import { UNKNOWN_ENDPOINT } from "@/lib/http/not-found";

// Paths no other route serves answer a JSON 404 in the path's dialect, never Next's HTML page.
export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = UNKNOWN_ENDPOINT;
