/**
 * A refused single sign-on, as the sign-in page tells it. The callback sends a browser there with
 * one of these codes, never the provider's own text: a link to /sign-in cannot put words of its
 * own on our page. The details go to the server log (and to API callers, which get JSON).
 */
export const SSO_ERRORS = {
  expired: "The sign-in could not be completed: it expired or was started in another tab. Start again.",
  refused: "The identity provider refused the sign-in.",
  forbidden: "This account may not sign in here: it is disabled, or in none of the groups that have a role. Ask an admin.",
  unavailable: "The identity provider could not be reached. Try again later, or sign in with a password.",
} as const;

export type SsoErrorCode = keyof typeof SSO_ERRORS;

/** The page's message for `?sso_error=`; nothing for an absent or unknown code. */
export function ssoErrorMessage(code: string | undefined): string | undefined {
  return code && Object.hasOwn(SSO_ERRORS, code) ? SSO_ERRORS[code as SsoErrorCode] : undefined;
}

/** The code for an error's HTTP status (400 state/flow problems, 401 refusals, 403 accounts). */
export function ssoErrorCode(status: number): SsoErrorCode {
  if (status === 400) return "expired";
  if (status === 401) return "refused";
  if (status === 403) return "forbidden";
  return "unavailable";
}
