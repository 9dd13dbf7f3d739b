// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me, Permission, Role } from "@/lib/accounts/schemas";
import { queryKeys } from "@/lib/query/keys";
import { Can, CanOrExplain } from "./can";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PERMISSIONS: Record<Role, Permission[]> = {
  viewer: ["read"],
  reviewer: ["read", "label"],
  editor: ["read", "label", "edit", "inference", "tracking"],
  admin: ["read", "label", "edit", "admin", "inference", "tracking"],
};

const me = (role: Role): Me => ({
  auth_enabled: true,
  caller: { kind: "user", name: `${role}@example.test`, role, scope: null, permissions: PERMISSIONS[role] },
  user: { id: "u1", email: `${role}@example.test`, name: role, role },
});

/** A client that already knows the caller, as the dashboard layout seeds it (no request is made). */
function withCaller(value: Me | undefined, children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (value) client.setQueryData(queryKeys.me(), value);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

function gates(role: Role) {
  render(
    withCaller(
      me(role),
      <>
        {(["read", "label", "edit", "admin"] as const).map((p) => (
          <Can key={p} permission={p} fallback={<span>no {p}</span>}>
            <button type="button">{p}</button>
          </Can>
        ))}
      </>,
    ),
  );
  return ["read", "label", "edit", "admin"].filter((p) => screen.queryByRole("button", { name: p }));
}

describe("<Can>", () => {
  it("shows each role exactly the actions its permissions allow", () => {
    expect(gates("viewer")).toEqual(["read"]);
    cleanup();
    expect(gates("reviewer")).toEqual(["read", "label"]);
    cleanup();
    expect(gates("editor")).toEqual(["read", "label", "edit"]);
    cleanup();
    expect(gates("admin")).toEqual(["read", "label", "edit", "admin"]);
  });

  it("renders the fallback instead when the permission is missing", () => {
    gates("reviewer");
    expect(screen.getByText("no edit")).toBeTruthy();
    expect(screen.getByText("no admin")).toBeTruthy();
    expect(screen.queryByText("no label")).toBeNull();
  });

  it("renders nothing, not even the fallback, while the caller is unknown", () => {
    // /api/auth/me has not answered yet.
    vi.stubGlobal("fetch", () => new Promise(() => {}));
    render(
      withCaller(
        undefined,
        <Can permission="read" fallback={<span>fallback</span>}>
          <span>content</span>
        </Can>,
      ),
    );
    expect(screen.queryByText("content")).toBeNull();
    expect(screen.queryByText("fallback")).toBeNull();
  });

  it("lets everything through when auth is off (the open caller holds every permission)", () => {
    const open: Me = {
      auth_enabled: false,
      caller: { kind: "open", name: "anonymous (auth off)", role: "admin", scope: null, permissions: PERMISSIONS.admin },
      user: null,
    };
    render(
      withCaller(
        open,
        <Can permission="admin">
          <span>users</span>
        </Can>,
      ),
    );
    expect(screen.getByText("users")).toBeTruthy();
  });
});

describe("<CanOrExplain>", () => {
  it("says who may, and which role the caller has, instead of a form the API would refuse", () => {
    render(
      withCaller(
        me("viewer"),
        <CanOrExplain permission="edit" what="create datasets">
          <form aria-label="Upload" />
        </CanOrExplain>,
      ),
    );
    expect(screen.queryByRole("form", { name: "Upload" })).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Only editors and admins can create datasets");
    expect(screen.getByRole("status").textContent).toContain("You are signed in as a viewer.");
  });
});
