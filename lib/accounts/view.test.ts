import { describe, expect, it } from "vitest";
import { dayEndIso, dayStartIso, formatAt, isoDay, keyStatus, rolesUpTo, targetLabel } from "./view";

describe("account page helpers", () => {
  it("writes API times in UTC and keeps what it cannot parse", () => {
    expect(formatAt("2026-12-05T19:04:33.120Z")).toBe("2026-12-05 19:04 UTC");
    expect(formatAt("2026-12-05T19:04:33.120Z", true)).toBe("2026-12-05 19:04:33 UTC");
    expect(formatAt(null)).toBe("—");
    expect(formatAt("soon")).toBe("soon");
  });

  it("says whether a key is active, revoked or expired (revoked wins)", () => {
    const now = Date.parse("2026-12-05T12:00:00Z");
    expect(keyStatus({ revoked_at: null, expires_at: null }, now)).toBe("active");
    expect(keyStatus({ revoked_at: null, expires_at: "2026-12-06T00:00:00Z" }, now)).toBe("active");
    expect(keyStatus({ revoked_at: null, expires_at: "2026-12-05T12:00:00Z" }, now)).toBe("expired");
    expect(keyStatus({ revoked_at: "2026-12-01T00:00:00Z", expires_at: "2026-12-02T00:00:00Z" }, now)).toBe("revoked");
  });

  it("turns date inputs into the day's first and last instant in UTC, and back", () => {
    expect(dayStartIso("2026-12-05")).toBe("2026-12-05T00:00:00.000Z");
    expect(dayEndIso("2026-12-05")).toBe("2026-12-05T23:59:59.999Z");
    expect(dayStartIso("")).toBeUndefined();
    expect(dayEndIso("2026-13-45")).toBeUndefined();
    expect(isoDay("2026-12-05T23:59:59.999Z")).toBe("2026-12-05");
    expect(isoDay(undefined)).toBe("");
  });

  it("offers a key only the roles up to its owner's", () => {
    expect(rolesUpTo("admin")).toEqual(["viewer", "reviewer", "editor", "admin"]);
    expect(rolesUpTo("reviewer")).toEqual(["viewer", "reviewer"]);
    expect(rolesUpTo(null)).toEqual([]);
  });

  it("names an audit target", () => {
    expect(targetLabel("run", "abc")).toBe("run abc");
    expect(targetLabel("session", null)).toBe("session");
    expect(targetLabel(null, null)).toBe("—");
  });
});
