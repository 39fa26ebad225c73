// Twilio's limits the app works within, without loading the SDK (the outbox reads them at start).

/** Sockets per host: the outbox keeps at most this many requests in flight, under Twilio's account concurrency limit. */
export const MAX_CONCURRENT_REQUESTS = 64;
