/** A dynamic route segment as text: decoded once, and left as is when it is not valid percent-encoding. */
export function segment(raw: string | string[] | undefined): string {
  const text = Array.isArray(raw) ? raw.join("/") : (raw ?? "");
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
