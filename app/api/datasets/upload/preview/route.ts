import { previewUpload, uploadInput, uploadPreviewReply } from "@/lib/datasets/service.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{format, text, mapping?}` → columns, the mapping (guessed unless given), sample items and each bad row. */
export const POST = route({
  access: "edit",
  readOnly: true,
  body: uploadInput,
  response: uploadPreviewReply,
  maxBodyBytes: 50 * 1024 * 1024,
  handler: async ({ body }) => previewUpload(body),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
