import { artifactEndpoints } from "@/lib/mlflow/artifact-endpoints.server";

export const dynamic = "force-dynamic";
const endpoints = artifactEndpoints();
export const GET = endpoints.download;
export const PUT = endpoints.upload;
export const DELETE = endpoints.remove;
