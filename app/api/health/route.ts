import { NextResponse } from "next/server";
import { requestContext } from "@/lib/auth/context.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { checkHealth } from "@/lib/stores/health.server";

export const dynamic = "force-dynamic";

/**
 * 200 when both stores answer, 503 otherwise. Anyone may ask (load balancers, uptime checks) and
 * is told ok or down; an admin is also told each store's kind, location, version and migrations.
 */
async function health(req: Request) {
  const [report, isAdmin] = await Promise.all([
    checkHealth(),
    requestContext(req, "admin").then(
      () => true,
      () => false,
    ),
  ]);
  return NextResponse.json(isAdmin ? report : { status: report.status }, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
export const GET = Object.assign(health, { access: "public" as const });

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
