// Same-project factories of tests/prescreen.test.ts: the linted file.ts calls them and creates no socket itself.
import * as net from 'node:net';

/** Declared return type; the name does not look like a factory. */
export function makeLink(port: number): net.Socket {
  return net.connect(port, '127.0.0.1');
}

/** A promise of a socket. */
export async function linkLater(port: number): Promise<net.Socket> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => s.once('connect', resolve));
  return s;
}

/** A user-declared kind (bound in the test's settings), declared in this file. */
export class Pipe {
  send(_s: string): void {}
  shut(): void {}
}

export function openPipe(): Pipe {
  return new Pipe();
}

/** A type alias of a socket, and of a socket that may be missing (tests/cheap-types.test.ts). */
export type Link = net.Socket;
export type MaybeLink = net.Socket | undefined;

/** A module-level socket, imported as a value (its type is asked of the checker). */
export const sharedLink: net.Socket = new net.Socket();

/** Imported values whose types need no inference (tests/cheap-types.test.ts). */
export const settings = { port: 80, host: '127.0.0.1' };
export const describeLink = (s: net.Socket): string => `${s.remoteAddress ?? '?'}`;
export let maybeShared: net.Socket | undefined;
