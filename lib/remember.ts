// One process-wide value per name (a connection, a timer, a registry): Next bundles each route and the
// instrumentation hook separately, so a module-level variable would exist once per bundle, not once per process.
const store = ((globalThis as unknown as { __seRemembered?: Map<string, unknown> }).__seRemembered ??= new Map());

/** The value remembered under `name`, made by `make` the first time it is asked for in this process. */
export function remember<T>(name: string, make: () => T): T {
  if (!store.has(name)) store.set(name, make());
  return store.get(name) as T;
}
