/**
 * Internal errors never stop a user's lint run: a failed type query falls back to "not a resource". Tests and the
 * fuzzer set SOCKET_CLOSE_STRICT, under which every such error is thrown instead of swallowed.
 */
export function recover<T>(error: unknown, fallback: T): T {
  if (process.env.SOCKET_CLOSE_STRICT) throw error;
  return fallback;
}
