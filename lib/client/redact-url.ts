/** The URL without user info, query or fragment: what may appear in messages. */
export function redactUrl(url: URL | string): string {
  try {
    const u = new URL(String(url));
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
