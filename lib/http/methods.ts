// Answers the HTTP methods an API route does not support with a JSON 405 naming the ones it does (Next's own is empty).
import { ApiError, errorResponse } from "./api";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Handler = () => Response;

const refusals = new WeakSet<object>();

/** Handlers for every method besides `allowed`; a route exports the ones it does not implement itself. */
export function refuseOtherMethods(...allowed: Method[]): Record<Method, Handler> {
  const list = allowed.join(", ");
  const refuse: Handler = () =>
    errorResponse(new ApiError(405, "method_not_allowed", `This endpoint accepts ${allowed.join(" or ")} only.`, undefined, { Allow: list }));
  refusals.add(refuse);
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}

/** Whether `handler` only answers 405 (it reads nothing, so it needs no CSRF check). */
export const isMethodRefusal = (handler: unknown): boolean => typeof handler === "function" && refusals.has(handler);
