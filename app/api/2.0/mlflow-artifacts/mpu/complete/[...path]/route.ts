import { multipartEndpoints } from "@/lib/mlflow/multipart-endpoints.server";

export const dynamic = "force-dynamic";
export const POST = multipartEndpoints().complete;
