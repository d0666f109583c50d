/**
 * ioredis (bundled typings): `Redis` and `Cluster`. Facts read from ioredis 6.0.
 */
import { EVERY_METHOD, set, type ReleaseArgument, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/** `disconnect(true)` drops the connection and reconnects: it does not release the client. */
const DISCONNECT_RECONNECTS: ReadonlyMap<string, ReleaseArgument> = new Map([['disconnect', { index: 0, when: 'truthy', effect: 'notRelease' }]]);

/**
 * `new Redis()` / `new Cluster()`. `quit()` closes after pending replies, `disconnect()` (and the deprecated
 * `end()`) at once. Once closed by hand, every command rejects ("Connection is closed."); `connect()` opens it
 * again. `duplicate()` creates a new client the caller owns. An 'error' does not close the client (it reconnects);
 * 'end' is emitted when it will not reconnect any more.
 */
function ioredisKind(name: string): ResourceKind {
  return libraryKind({
    reconnects: true,
    name,
    releases: set('quit', 'disconnect', 'end'),
    destroys: set('disconnect', 'end'),
    releaseArguments: DISCONNECT_RECONNECTS,
    // Commands are hundreds of methods (`get`, `set`, `publish`, ...): every method counts.
    uses: set(EVERY_METHOD),
    reopens: set('connect'),
    // `new Redis(url, { lazyConnect: true })` connects only at connect() or its first command.
    createdIdle: { newOnly: true, idleWithOptions: set('lazyConnect') },
    // `await redis.connect()` (lazyConnect) rejects on the first failed attempt, and the default retryStrategy has
    // already scheduled the next: the client keeps reconnecting until quit() or disconnect().
    rejectionKeepsOpen: set('connect'),
    creates: set('duplicate'),
    // A subscriber with a message listener serves for the life of the process.
    serverHandlerEvents: set('message', 'messageBuffer', 'pmessage', 'pmessageBuffer', 'smessage', 'smessageBuffer'),
    // After quit() or disconnect() it does not reconnect: no 'connect' or 'ready' follows a release.
    openEvents: set('connect', 'ready'),
    closeEvent: 'end',
    closedEvents: set('end'),
    guards: {
      deadProperties: set(),
      aliveProperties: set(),
      // 'close': the connection dropped, and it reconnects; 'end': it will not any more.
      state: {
        property: 'status',
        open: new Set<string | number>(['ready', 'connect']),
        closed: new Set<string | number>(['end', 'close']),
        gone: new Set<string | number>(['end']),
        live: ['wait', 'reconnecting', 'connecting', 'connect', 'ready', 'close'].map((status) => set(status)),
      },
    },
    suggestedRelease: 'quit() or disconnect()',
    finallyRelease: 'disconnect',
  });
}

export const IOREDIS_CLIENT: ResourceKind = ioredisKind('ioredis client');
export const IOREDIS_CLUSTER: ResourceKind = ioredisKind('ioredis Cluster');
