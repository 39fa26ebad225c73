// Why an admin's announcement request was refused, in words for the form; `status` is what an API answers.
export class AnnouncementRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: "invalid_announcement" | "not_found" | "already_sent" | "discarded" | "stale_form",
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AnnouncementRefused";
  }
}
