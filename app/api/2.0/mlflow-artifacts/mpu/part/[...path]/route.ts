import { multipartEndpoints } from "@/lib/mlflow/multipart-endpoints.server";
import { refuseOtherMethods } from "@/lib/http/methods";

// Not an MLflow route: the URL handed out in mpu/create credentials, one part per request. MLflow's
// clients PUT to it without credentials, like a presigned URL: the upload id (128 random bits, made
// by an authorised mpu/create, bound to its path) is the capability. Access: public, by design.
export const dynamic = "force-dynamic";
export const PUT = Object.assign(multipartEndpoints().uploadPart, { access: "public" as const });
export const { GET, POST, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ PUT });
