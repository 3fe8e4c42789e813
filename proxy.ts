// Next 16 request proxy: console pages need a session cookie; without one the browser goes to
// sign-in and comes back afterwards. This is a fast cookie-presence check only: layouts and every
// API route verify the session and the membership for real.
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC = [/^\/sign-in(\/|$)/, /^\/sign-up(\/|$)/, /^\/invite\//, /^\/api\//, /^\/_next\//, /^\/favicon/];

export function proxy(req: NextRequest): NextResponse {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  if (getSessionCookie(req, { cookiePrefix: "mcpcan" })) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

// /api is left out: API routes authenticate themselves, and a matched request would have its body
// buffered and cut at the proxy's size limit (code-package uploads are larger).
export const config = { matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"] };
