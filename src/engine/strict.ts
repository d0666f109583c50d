/**
 * SOCKET_CLOSE_STRICT (set by the tests and the fuzzer): internal errors are thrown instead of swallowed, every cheap
 * answer is checked against the type checker's, and a file the pre-screen skips is analysed anyway. The variable is
 * read once per linted file ({@link refreshStrict}, called by the engine): reading `process.env` costs a system call
 * wrapper, and the hot paths ask many times per file.
 */
let strict = !!process.env.SOCKET_CLOSE_STRICT;

/** Is SOCKET_CLOSE_STRICT set (as read when the current file's engine was made)? */
export function isStrict(): boolean {
  return strict;
}

/** Reads SOCKET_CLOSE_STRICT again; the engine calls this once per file. */
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
