// Why a smoke signal was refused, with the HTTP status a route should answer and when trying again makes sense.
export class SignalRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 429,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "SignalRefused";
  }
}
