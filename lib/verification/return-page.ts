// The small page the browser sees on its way back from Yoti: tell the opening tab (popup) or go to the profile (full page).
import { escapeHtml } from "@/lib/http/html";

export const OUTCOME_TEXT: Record<string, string> = {
  COMPLETE: "Your age is verified.",
  FAIL: "Yoti could not confirm that you are old enough. You can try again.",
  ERROR: "Yoti could not finish the check. You can try again.",
  CANCELLED: "You cancelled the check. You can start again whenever you like.",
  EXPIRED: "The check expired before it was finished. You can start again.",
  PENDING: "The check is not finished yet.",
  IN_PROGRESS: "Yoti is still working on your check.",
  UNKNOWN: "We could not read the outcome yet; your profile will update shortly.",
};


export const PROFILE_RETURN_URL = "/profile?verification=returned#age-verification";

/** Where a browser that came back signed out goes (e.g. APP_URL names another host than the one the member used). */
export const SIGNED_OUT_RETURN_URL = `/signin?next=${encodeURIComponent(PROFILE_RETURN_URL)}`;

/**
 * HTML for the callback GET. The message it posts carries no authority: the profile re-reads the status from our API.
 * `signedOut`: this browser has no session here; a popup still closes (its opener then asks for the result itself).
 */
export function returnPage(status: string, sessionId: string | null, opts: { signedOut?: boolean; nonce: string }): string {
  const signedOut = opts.signedOut ?? false;
  const text = signedOut ? "Sign in to see the outcome of your check." : (OUTCOME_TEXT[status] ?? OUTCOME_TEXT.UNKNOWN!);
  const profileUrl = signedOut ? SIGNED_OUT_RETURN_URL : PROFILE_RETURN_URL;
  // JSON inside <script> must not be able to close the tag.
  const data = JSON.stringify({ type: "yoti-verification", status, sessionId, profileUrl }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Age verification · Select Exposure</title>
<noscript><meta http-equiv="refresh" content="0;url=${escapeHtml(profileUrl)}"></noscript>
<style>body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.5;color:#1d1b18}</style></head>
<body><main><h1>Age verification</h1><p role="status">${escapeHtml(text)}</p>
<p><a href="${escapeHtml(profileUrl)}">${signedOut ? "Sign in" : "Back to your profile"}</a></p></main>
<script id="yoti-return" type="application/json">${data}</script>
<script nonce="${escapeHtml(opts.nonce)}">
(function () {
  var d = JSON.parse(document.getElementById("yoti-return").textContent);
  try { var bc = new BroadcastChannel("yoti-verification"); bc.postMessage(d); bc.close(); } catch (e) {}
  var opener = null;
  try { opener = window.opener && !window.opener.closed ? window.opener : null; } catch (e) {}
  if (opener) {
    try { opener.postMessage(d, window.location.origin); } catch (e) {}
    window.close();
    // Some browsers refuse to close a window: then show the profile here instead.
    setTimeout(function () { window.location.replace(d.profileUrl); }, 500);
  } else {
    window.location.replace(d.profileUrl);
  }
})();
</script></body></html>`;
}

/** Its headers: nothing runs but its own nonce'd script, and no site may frame it. */
export function returnPageHeaders(nonce: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  };
}
