import { describe, expect, it } from "vitest";
import { SSO_ERRORS, ssoErrorCode, ssoErrorMessage } from "./sso-errors";

describe("single sign-on errors on the sign-in page", () => {
  it("maps each refusal to a fixed message, and ignores codes it does not know", () => {
    expect([400, 401, 403, 502, 500].map(ssoErrorCode)).toEqual(["expired", "refused", "forbidden", "unavailable", "unavailable"]);
    expect(ssoErrorMessage("refused")).toBe(SSO_ERRORS.refused);
    for (const code of [undefined, "", "toString", "__proto__", "Call 555-0100 to unlock your account"]) {
      expect(ssoErrorMessage(code)).toBeUndefined();
    }
  });
});
