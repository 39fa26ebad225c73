// The small page the browser sees on its way back from Yoti: tell the opening tab (popup) or go to the profile (full page).
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

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const PROFILE_RETURN_URL = "/profile?verification=returned#age-verification";

/** HTML for the callback GET. The message it posts carries no authority: the profile re-reads the status from our API. */
export function returnPage(status: string, sessionId: string | null): string {
  const text = OUTCOME_TEXT[status] ?? OUTCOME_TEXT.UNKNOWN!;
  // JSON inside <script> must not be able to close the tag.
  const data = JSON.stringify({ type: "yoti-verification", status, sessionId, profileUrl: PROFILE_RETURN_URL }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Age verification · Select Exposure</title>
<noscript><meta http-equiv="refresh" content="0;url=${escapeHtml(PROFILE_RETURN_URL)}"></noscript>
<style>body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.5;color:#1d1b18}</style></head>
<body><main><h1>Age verification</h1><p role="status">${escapeHtml(text)}</p>
<p><a href="${escapeHtml(PROFILE_RETURN_URL)}">Back to your profile</a></p></main>
<script id="yoti-return" type="application/json">${data}</script>
<script>
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
