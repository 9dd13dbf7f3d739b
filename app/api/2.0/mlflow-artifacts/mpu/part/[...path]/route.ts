import { multipartEndpoints } from "@/lib/mlflow/multipart-endpoints.server";

// Not an MLflow route: the URL handed out in mpu/create credentials, one part per request.
export const dynamic = "force-dynamic";
export const PUT = multipartEndpoints().uploadPart;
