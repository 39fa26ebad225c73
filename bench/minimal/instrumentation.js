// Nothing to start. Present so that Turbopack, whose root is the repository, does not pick up the app's own hook.
export function register() {}
