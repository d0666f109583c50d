/**
 * mysql2, callback API (`mysql2`) and promise API (`mysql2/promise`), typed by the typings it bundles: connections,
 * pools, pool clusters and pooled connections. The two APIs declare classes of the same names (the promise
 * `Pool` even extends the promise `Connection`); each name is bound to its own kind, and a symbol is matched by its
 * own name before its base classes are walked, so a promise `Pool` is a pool. Facts read from mysql2 3.24.
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/** Commands: once the connection is closed they fail ("Can't add new command when connection is in closed state"). */
const COMMANDS = ['query', 'execute', 'ping', 'beginTransaction', 'commit', 'rollback', 'changeUser', 'prepare', 'reset'];

/**
 * `createConnection()`: `end()` closes it after pending commands, `destroy()` at once. Disposable (`[Symbol.dispose]` /
 * `[Symbol.asyncDispose]`). `close()` exists at run time on both APIs (the base connection's, which `destroy()`
 * calls; the promise connection forwards it) though the typings do not declare it: JavaScript calls it.
 */
export const MYSQL2_CONNECTION: ResourceKind = libraryKind({
  name: 'mysql2 Connection',
  noun: 'connection',
  releases: set('end', 'destroy', 'close'),
  // The callback API's `promise()` wraps the same connection (or pool): ending one ends the other.
  wrapsSelf: set('promise'),
  destroys: set('destroy', 'close'),
  uses: set(...COMMANDS),
  closeEvent: 'end',
  closedEvents: set('end'),
  // `connect(cb)` reports a failed handshake: a network error or the connect timeout (the socket is destroyed), or
  // the server's refusal (it closes the connection, and the socket ends with it).
  failureCloses: set('connect'),
  disposable: true,
  suggestedRelease: 'end() or destroy()',
  finallyRelease: 'end',
});

/**
 * A connection checked out by `getConnection()`. `release()` hands it back to the pool, `destroy()` closes it and
 * removes it from the pool; `end()` is a deprecated alias of `release()`. Commands after the release run on a
 * connection that the pool may already have lent to someone else.
 */
export const MYSQL2_POOL_CONNECTION: ResourceKind = libraryKind({
  name: 'mysql2 PoolConnection',
  noun: 'connection',
  releases: set('release', 'destroy', 'end'),
  // The callback API's `promise()` wraps the same connection (or pool): ending one ends the other.
  wrapsSelf: set('promise'),
  destroys: set('destroy'),
  uses: set(...COMMANDS),
  closeEvent: 'end',
  closedEvents: set('end'),
  disposable: true,
  suggestedRelease: 'release()',
  finallyRelease: 'release',
});

/**
 * `createPool()`: `end()` closes every connection, checked out or idle (mysql2 3.24 `Pool#end` ends each of its
 * `_allConnections`); queries and checkouts after it fail ("Pool is closed.").
 */
export const MYSQL2_POOL: ResourceKind = libraryKind({
  name: 'mysql2 Pool',
  noun: 'pool',
  releases: set('end'),
  // The callback API's `promise()` wraps the same connection (or pool): ending one ends the other.
  wrapsSelf: set('promise'),
  uses: set('query', 'execute', 'getConnection'),
  // `createPool()` opens a connection at the first query or checkout.
  createdIdle: {},
  // A checkout that fails leaves no connection in the pool (the failed one is dropped): nothing to end because of it.
  rejectionCloses: set('getConnection'),
  creates: set('getConnection'),
  // `end()` closes every connection of the pool, those still checked out too; a connection does not give its pool
  // back (no public `pool`), so handing one off leaves the pool with the function.
  releasesCreated: set('getConnection'),
  createdHidesCreator: true,
  // The callback API: `pool.getConnection((err, conn) => …)`.
  callbackCreates: new Map([['getConnection', { error: 0, resource: 1 }]]),
  disposable: true,
  finallyRelease: 'end',
});

/** `createPoolCluster()`: `end()` closes every pool of the cluster. */
export const MYSQL2_POOL_CLUSTER: ResourceKind = libraryKind({
  name: 'mysql2 PoolCluster',
  noun: 'pool',
  releases: set('end'),
  uses: set('getConnection'),
  creates: set('getConnection'),
  // The callback API: `pool.getConnection((err, conn) => …)`.
  callbackCreates: new Map([['getConnection', { error: 0, resource: 1 }]]),
  disposable: true,
  finallyRelease: 'end',
});
