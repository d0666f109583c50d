/**
 * postgres.js (`postgres`, typed by the typings it bundles): the `sql` function that `postgres(url)` returns — a
 * pool of connections queried by tagging templates with it — and the connection `sql.reserve()` checks out. Facts
 * read from postgres 3.4 (src/index.js, types/index.d.ts).
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/**
 * Methods that send to the server or take a connection: once the pool is ended they fail (CONNECTION_ENDED). Not
 * `listen()`: every kind's uses name the operations of all kinds (a call of one on a value whose type lacks it marks
 * a wrong type), and `listen()` is a server's own method.
 */
const QUERIES = ['unsafe', 'file', 'begin', 'reserve', 'notify', 'subscribe', 'largeObject'];

/**
 * `postgres(url)`. It opens a connection at the first query and keeps its connections open (no idle timeout by
 * default), so a script that never calls `end()` does not exit. `end()` closes every connection, reserved ones too,
 * after their queries; a second `end()` returns the first one's promise. Not an EventEmitter: no events.
 */
export const POSTGRES_SQL: ResourceKind = libraryKind({
  name: 'postgres Sql',
  noun: 'client',
  releases: set('end'),
  uses: set(...QUERIES),
  callable: true,
  createdIdle: {},
  // `sql.listen(channel, onNotify)` (LISTEN) and `sql.subscribe('*:table', onChange)` (logical replication): given a
  // handler, the client serves for the life of the process.
  handlerMethods: set('listen', 'subscribe'),
  creates: set('reserve'),
  releasesCreated: set('reserve'),
  errorEvent: undefined,
  closedEvents: set(),
  finallyRelease: 'end',
  suggestedRelease: 'end()',
});

/**
 * `await sql.reserve()`: one connection of the pool, held until `release()` gives it back. Queries after that run on a
 * connection the pool may have lent to another caller. Its `end()` ends the whole pool, this connection with it.
 */
export const POSTGRES_RESERVED_SQL: ResourceKind = libraryKind({
  name: 'postgres ReservedSql',
  noun: 'connection',
  releases: set('release', 'end'),
  uses: set(...QUERIES),
  callable: true,
  errorEvent: undefined,
  closedEvents: set(),
  finallyRelease: 'release',
  suggestedRelease: 'release()',
});
