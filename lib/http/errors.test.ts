import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, NotFoundError, toErrorBody } from "./errors";
import { describeError, redactUrl } from "@/lib/stores/errors";

describe("toErrorBody", () => {
  it("maps app errors through the code table", () => {
    expect(toErrorBody(new NotFoundError("no such run"))).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: "no such run", details: undefined } },
    });
    expect(toErrorBody(new AppError("payload_too_large", "too big")).status).toBe(413);
  });

  it("turns zod errors into a 400 that lists each field", () => {
    const result = z.object({ name: z.string(), items: z.array(z.number()) }).safeParse({ items: [1, "x"] });
    const { status, body } = toErrorBody(result.error, "body");
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/^Invalid body: name: .*; items\[1\]: /);
    expect(body.error.issues?.map((i) => i.path)).toEqual(["name", "items[1]"]);
  });

  it("hides unknown errors behind a generic 500 and logs them", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { status, body } = toErrorBody(new Error("secret detail"));
    expect(status).toBe(500);
    expect(body.error.message).not.toMatch(/secret/);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});

describe("store error helpers", () => {
  it("redacts passwords from URLs", () => {
    expect(redactUrl("postgres://u:hunter2@h:5432/db")).toBe("postgres://u:***@h:5432/db");
    expect(redactUrl("http://h:8123")).toBe("http://h:8123/");
  });

  it("describes aggregate errors by their first cause", () => {
    const inner = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(describeError(new AggregateError([inner]))).toBe("connect ECONNREFUSED 127.0.0.1:1");
  });
});
