import { describe, expect, it } from "vitest";
import { parseEnv, SettingsError } from "@/lib/env.server";
import { groupsIn, parseRoleMap, roleForGroups } from "./oidc-roles";

describe("single sign-on group → role mapping", () => {
  it("reads group=role pairs, splitting each at its last =, and a JSON object for names with commas", () => {
    expect(parseRoleMap("llmops-admins=admin, ml-eng=editor,,labellers=reviewer")).toEqual([
      { group: "llmops-admins", role: "admin" },
      { group: "ml-eng", role: "editor" },
      { group: "labellers", role: "reviewer" },
    ]);
    expect(parseRoleMap("team=a=viewer")).toEqual([{ group: "team=a", role: "viewer" }]);
    expect(parseRoleMap('{"cn=admins,ou=groups,dc=example":"admin"}')).toEqual([
      { group: "cn=admins,ou=groups,dc=example", role: "admin" },
    ]);
    expect(parseRoleMap(undefined)).toEqual([]);
  });

  it("says what is wrong with a bad map", () => {
    expect(() => parseRoleMap("admins")).toThrow('"admins" is not group=role');
    expect(() => parseRoleMap("admins=root")).toThrow('group "admins" maps to "root", which is not one of viewer, reviewer, editor, admin');
    expect(() => parseRoleMap("=admin")).toThrow("a group name is empty");
    expect(() => parseRoleMap("{nope")).toThrow(/JSON object/);
    expect(() => parseRoleMap("[1]")).toThrow('"[1]" is not group=role');
  });

  it("reads groups from an array, a separated string, or a nested claim", () => {
    expect(groupsIn({ groups: ["a", 1, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsIn({ groups: "a b,c" }, "groups")).toEqual(["a", "b", "c"]);
    expect(groupsIn({ realm_access: { roles: ["x"] } }, "realm_access.roles")).toEqual(["x"]);
    expect(groupsIn({ "realm_access.roles": ["flat"] }, "realm_access.roles")).toEqual(["flat"]);
    expect(groupsIn({}, "groups")).toEqual([]);
    expect(groupsIn({ groups: { a: 1 } }, "groups")).toEqual([]);
  });

  it("gives the highest mapped role, else the default, else nothing", () => {
    const map = parseRoleMap("admins=admin,eng=editor,labellers=reviewer");
    expect(roleForGroups(["labellers", "eng"], map, "viewer")).toBe("editor");
    expect(roleForGroups(["admins", "labellers"], map, "viewer")).toBe("admin");
    expect(roleForGroups(["other"], map, "viewer")).toBe("viewer");
    expect(roleForGroups([], map, null)).toBeNull();
  });
});

describe("single sign-on settings", () => {
  const base = { LLMOPS_OIDC_ISSUER: "https://id.example.com", LLMOPS_OIDC_CLIENT_ID: "llmops", LLMOPS_OIDC_CLIENT_SECRET: "s3cret" };

  it("is off by default and reads the whole configuration", () => {
    const off = parseEnv({});
    expect(off.LLMOPS_OIDC_ISSUER).toBeUndefined();
    expect(off.LLMOPS_OIDC_ROLE_MAP).toEqual([]);
    expect(off.LLMOPS_OIDC_DEFAULT_ROLE).toBe("viewer");
    expect(off.LLMOPS_OIDC_ROLE_CLAIM).toBe("groups");
    const on = parseEnv({ ...base, LLMOPS_OIDC_ROLE_MAP: "ml-eng=editor", LLMOPS_OIDC_DEFAULT_ROLE: "none", LLMOPS_OIDC_NAME: "Okta" });
    expect(on).toMatchObject({ ...base, LLMOPS_OIDC_ROLE_MAP: [{ group: "ml-eng", role: "editor" }], LLMOPS_OIDC_DEFAULT_ROLE: "none" });
    expect(on.LLMOPS_OIDC_NAME).toBe("Okta");
  });

  it("refuses a partial configuration, a plain-http issuer off this machine, a bad map or role, and hides the secret", () => {
    expect(() => parseEnv({ LLMOPS_OIDC_ISSUER: base.LLMOPS_OIDC_ISSUER })).toThrow(SettingsError);
    expect(() => parseEnv({ LLMOPS_OIDC_CLIENT_SECRET: "x" })).toThrow(/needs all of LLMOPS_OIDC_ISSUER/);
    expect(() => parseEnv({ ...base, LLMOPS_OIDC_ISSUER: "http://id.example.com" })).toThrow(/must start with https:\/\//);
    expect(parseEnv({ ...base, LLMOPS_OIDC_ISSUER: "http://127.0.0.1:3610" }).LLMOPS_OIDC_ISSUER).toBe("http://127.0.0.1:3610");
    expect(() => parseEnv({ ...base, LLMOPS_OIDC_ROLE_MAP: "eng=root" })).toThrow(
      /LLMOPS_OIDC_ROLE_MAP="eng=root": group "eng" maps to "root"/,
    );
    expect(() => parseEnv({ ...base, LLMOPS_OIDC_DEFAULT_ROLE: "guest" })).toThrow(/LLMOPS_OIDC_DEFAULT_ROLE/);
    const hidden = () => parseEnv({ ...base, LLMOPS_OIDC_CLIENT_SECRET: "x".repeat(3_000) });
    expect(hidden).toThrow(/LLMOPS_OIDC_CLIENT_SECRET=\(hidden\)/);
  });
});
