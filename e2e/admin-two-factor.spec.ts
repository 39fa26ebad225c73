// Admin features need two-factor sign-in: an admin without it, or whose session began on a password alone, who opens
// the console is sent to their profile's two-factor section and told why; the console's APIs answer 403 JSON.
import { expect, newAccount, test, visitorAddress } from "./fixtures";
import { signedInMember } from "./members";

for (const [twoFactor, why] of [
  ["off", "You are an administrator. Turn on two-factor sign-in on your profile before you use admin features."],
  ["not passed", "You are an administrator. This session began with your password alone. Sign out and sign in again with your authenticator app to use admin features."],
] as const) {
  test(`an admin whose two-factor is ${twoFactor} is sent from the console to their profile's two-factor section and told why; console APIs answer 403`, async ({ browser, baseURL }) => {
    const address = visitorAddress();
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
    await signedInMember(context, baseURL!, { ...newAccount("admin"), address, role: "admin", twoFactor });
    const admin = await context.newPage();
    await admin.goto("/admin");
    await expect(admin).toHaveURL(/\/profile#two-factor$/);
    const section = admin.getByRole("region", { name: "Two-factor sign-in" });
    await expect(section.getByRole("status")).toHaveText(why);
    await expect(section.getByRole("link", { name: twoFactor === "off" ? "Turn on two-factor sign-in" : "Manage two-factor sign-in" })).toBeVisible();

    const api = await admin.request.get("/api/admin/messages/export");
    expect(api.status()).toBe(403);
    expect((await api.json()).error).toMatchObject({ code: "second_factor_required", message: why.replace("You are an administrator. ", "") });
    await context.close();
  });
}
