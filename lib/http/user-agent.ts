// A browser named in words from its User-Agent header ("Firefox 128 on Windows"), for the "new sign-in" alert. Pure.
import Bowser from "bowser";

export function describeBrowser(userAgent: string | null | undefined): string {
  if (!userAgent) return "an unknown browser";
  const { browser, os } = Bowser.parse(userAgent.slice(0, 500));
  const name = browser.name ? `${browser.name}${browser.version ? ` ${browser.version.split(".")[0]}` : ""}` : "an unknown browser";
  return os.name ? `${name} on ${os.name}` : name;
}
