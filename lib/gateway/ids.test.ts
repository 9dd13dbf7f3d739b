import { describe, expect, it } from "vitest";
import { uuidAt } from "./ids";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

describe("uuidAt", () => {
  it("makes valid, unique, monotonic UUIDv7 ids for the present", () => {
    const ids = Array.from({ length: 20_000 }, () => uuidAt(Date.now()));
    for (const id of ids.slice(0, 100)) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(Math.abs(timeOf(ids[0]!) - Date.now())).toBeLessThan(5_000);
  });

  it("embeds another time (the demo's virtual clock)", () => {
    const t = Date.parse("2026-11-10T08:00:00Z");
    const id = uuidAt(t + 0.7);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(t);
  });
});
