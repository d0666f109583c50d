/**
 * node-redis (`redis` 4 and later; the classes live in `@redis/client`, typings bundled): clients from
 * `createClient()`, clusters from `createCluster()`, client pools from `createClientPool()`. Facts read from
 * redis / @redis/client 6.3.
 */
import { EVERY_METHOD, set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

const GUARDS = { deadProperties: set(), aliveProperties: set('isOpen', 'isReady'), heldWhile: set('isOpen') };

/**
 * A client or a cluster. `close()` (and the deprecated `quit()` / `QUIT()`) closes after pending commands;
 * `destroy()` (and the deprecated `disconnect()`) at once. Every command afterwards rejects ("The client is
 * closed"); `connect()` opens it again and resolves to the same client. `duplicate()` creates a new client.
 */
function redisKind(name: string): ResourceKind {
  return libraryKind({
    reconnects: true,
    name,
    // `quitAsync()`, `endAsync()`: node_redis 2 and 3's documented promise idiom (`promisifyAll(RedisClient.prototype)`,
    // or one method at a time with `util.promisify`) adds an `…Async` twin of each method; JavaScript calls them.
    releases: set('close', 'quit', 'QUIT', 'destroy', 'disconnect', 'quitAsync', 'endAsync'),
    destroys: set('destroy', 'disconnect'),
    // Commands are hundreds of methods, in two spellings (`get` / `GET`): every method counts.
    uses: set(EVERY_METHOD),
    reopens: set('connect'),
    // `connect()` rejects only once the client holds nothing: its reconnect strategy gave up (the client is closed,
    // `isOpen` false), or it was closed while connecting; the failed socket is destroyed first.
    rejectionCloses: set('connect'),
    // `createClient()` (and `duplicate()`) open nothing until `connect()`; a client that is only a template for
    // `duplicate()` stays unconnected.
    createdIdle: { keptIdleBy: set('duplicate') },
    returnsSelf: set('connect'),
    creates: set('duplicate'),
    // A subscriber with a listener serves for the life of the process.
    handlerMethods: set('subscribe', 'SUBSCRIBE', 'pSubscribe', 'PSUBSCRIBE', 'sSubscribe', 'SSUBSCRIBE'),
    // A closed or destroyed client does not reconnect: no 'connect' or 'ready' follows a release.
    openEvents: set('connect', 'ready'),
    closeEvent: 'end',
    closedEvents: set('end'),
    guards: GUARDS,
    suggestedRelease: 'close() or destroy()',
    finallyRelease: 'destroy',
  });
}

export const REDIS_CLIENT: ResourceKind = redisKind('redis client');
export const REDIS_CLUSTER: ResourceKind = redisKind('redis cluster');
/** `createSentinel()`: a client of the master that sentinels name, with the client's life cycle (`close()`, `destroy()`). */
export const REDIS_SENTINEL: ResourceKind = redisKind('redis sentinel');

/** `createClientPool()`: `close()` waits for the clients in use, `destroy()` closes them at once. */
export const REDIS_CLIENT_POOL: ResourceKind = libraryKind({
  name: 'redis client pool',
  noun: 'pool',
  releases: set('close', 'destroy'),
  destroys: set('destroy'),
  uses: set(EVERY_METHOD),
  reopens: set('connect'),
  returnsSelf: set('connect'),
  guards: GUARDS,
  suggestedRelease: 'close() or destroy()',
  finallyRelease: 'destroy',
});
