import { artifactEndpoints } from "@/lib/mlflow/artifact-endpoints.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";
const endpoints = artifactEndpoints();
export const GET = endpoints.download;
export const PUT = endpoints.upload;
export const DELETE = endpoints.remove;
export const { POST, PATCH, OPTIONS } = refuseOtherMethods({ GET, PUT, DELETE });
