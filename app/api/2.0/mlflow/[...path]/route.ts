import { UNKNOWN_ENDPOINT } from "@/lib/http/not-found";

// Every MLflow path this server does not implement answers in MLflow's error format, not with HTML.
export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = UNKNOWN_ENDPOINT;
