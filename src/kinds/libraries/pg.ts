/**
 * node-postgres (`pg`, typed by `@types/pg`): `Client`, `Pool` and the `PoolClient` that `pool.connect()` checks
 * out. Facts read from @types/pg 8.23 and pg / pg-pool 8.x.
 */
import { set, type ReleaseArgument, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/** Methods of `ClientBase` that send to the server: they fail (reject or call back with an error) once ended. */
const CLIENT_USES = ['query', 'copyFrom', 'copyTo'];

/**
 * `new pg.Client()`. `end()` closes the connection; `connect()` resolves to the client itself, and calling it again
 * after `end()` fails ("Client has already been connected. You cannot reuse a client."), so it is a use, not a
 * reopen.
 */
export const PG_CLIENT: ResourceKind = libraryKind({
  name: 'pg Client',
  releases: set('end'),
  uses: set(...CLIENT_USES, 'connect'),
  returnsSelf: set('connect'),
  // `new Client()` opens nothing until `connect()`; a `query()` before it is queued (it runs once connected, and
  // never settles if nothing connects).
  createdIdle: { openedOnlyBy: set('connect') },
  // A failed `connect()` leaves nothing open (the errored socket is destroyed; after a FATAL the server closes it;
  // the connection timeout destroys it): awaited or with a callback, its failure holds nothing.
  rejectionCloses: set('connect'),
  // A client with a 'notification' listener (after `LISTEN channel`) serves notifications for as long as the
  // process runs, as a subscriber does.
  serverHandlerEvents: set('notification'),
  // The client emits 'end' when its connection closes.
  closeEvent: 'end',
  closedEvents: set('end'),
  finallyRelease: 'end',
});

/**
 * `release(err)` or `release(true)` destroys the client instead of returning it to the pool (pg-pool disconnects a
 * client released with a truthy argument).
 */
const RELEASE_DESTROYS: ReadonlyMap<string, ReleaseArgument> = new Map([['release', { index: 0, when: 'truthy', effect: 'destroys' }]]);

/**
 * A client checked out of a pool by `await pool.connect()`. `release()` returns it to the pool; querying it
 * afterwards runs on a connection that another caller may hold, and a second `release()` throws ("Release called
 * on client which has already been released to the pool.").
 */
export const PG_POOL_CLIENT: ResourceKind = libraryKind({
  name: 'pg PoolClient',
  releases: set('release'),
  releaseArguments: RELEASE_DESTROYS,
  uses: set(...CLIENT_USES),
  doubleReleaseThrows: true,
  // A checked-out client given a 'notification' listener (after `LISTEN channel`) is a subscriber serving for as long
  // as the process runs, as a dedicated `Client` is.
  serverHandlerEvents: set('notification'),
  closeEvent: 'end',
  closedEvents: set('end'),
  suggestedRelease: 'release()',
  finallyRelease: 'release',
});

/**
 * `new pg.Pool()`. `end()` closes every idle client; `query()` and `connect()` after it fail ("Cannot use a pool
 * after calling end on the pool"), and a second `end()` fails too ("Called end on pool more than once").
 * `pool.query()` checks a client out and back in by itself: it creates nothing the caller owns.
 */
export const PG_POOL: ResourceKind = libraryKind({
  name: 'pg Pool',
  noun: 'pool',
  releases: set('end'),
  uses: set('query', 'connect'),
  creates: set('connect'),
  // `new Pool()` opens a connection at the first `query()` or `connect()`.
  createdIdle: {},
  // `pool.connect((err, client, done) => …)`: `done()` or `client.release()` returns the client.
  callbackCreates: new Map([['connect', { error: 0, resource: 1, release: 2 }]]),
  // A checkout that fails adds no client to the pool (pg-pool removes the failed one): nothing is left to end
  // because of it (a new pool whose first checkout rejects holds no connection, timer or socket).
  rejectionCloses: set('connect'),
  // A failed `pool.query()` releases its client with the error, which pg-pool removes and ends (`_release` with `err`):
  // the pool keeps only what it held before the query.
  failureLeavesAsBefore: set('query'),
  doubleReleaseThrows: true,
  guards: { deadProperties: set('ending', 'ended'), aliveProperties: set() },
  finallyRelease: 'end',
});
