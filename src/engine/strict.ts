/**
 * SOCKET_CLOSE_STRICT (set by the tests and the fuzzer): internal errors are thrown instead of swallowed, every cheap
 * answer is checked against the type checker's, and a file the pre-screen skips is analysed anyway. The variable is
 * read when this module loads, and again only when {@link refreshStrict} is called (by a test that changes it):
 * reading `process.env` costs about 10 µs in a lint (a call into the runtime), which a file no resource type
 * reaches would otherwise pay for nothing (issue 13).
 */
let strict = !!process.env.SOCKET_CLOSE_STRICT;

/** Is SOCKET_CLOSE_STRICT set (as last read: at load, or by {@link refreshStrict})? */
export function isStrict(): boolean {
  return strict;
}

/** Reads SOCKET_CLOSE_STRICT again: for a test that sets or clears it after this module loaded. */
export function refreshStrict(): boolean {
  strict = !!process.env.SOCKET_CLOSE_STRICT;
  return strict;
}

/**
 * Internal errors never stop a user's lint run: a failed type query falls back to "not a resource". Under
 * SOCKET_CLOSE_STRICT every such error is thrown instead.
 */
export function recover<T>(error: unknown, fallback: T): T {
  if (strict) throw error;
  return fallback;
}
