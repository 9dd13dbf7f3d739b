import { artifactEndpoints } from "@/lib/mlflow/artifact-endpoints.server";

export const dynamic = "force-dynamic";
export const GET = artifactEndpoints().list;
