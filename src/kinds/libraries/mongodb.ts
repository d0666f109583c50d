/**
 * The MongoDB Node.js driver (`mongodb`, typings bundled): `MongoClient` and the explicit `ClientSession` of
 * `client.startSession()`. Facts read from mongodb 7.9.
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/**
 * `new MongoClient(url)` or `await MongoClient.connect(url)`. `close()` closes its connection pools. The driver
 * connects again on the next operation after a close, so nothing on a closed client fails: the kind has no uses,
 * only the leak. `startSession()` creates a session the caller owns. Disposable (`[Symbol.asyncDispose]`).
 */
export const MONGO_CLIENT: ResourceKind = libraryKind({
  reconnects: true,
  name: 'MongoClient',
  releases: set('close'),
  uses: set(),
  reopens: set('connect'),
  // `new MongoClient(url)` connects at `connect()` or the first operation (`MongoClient.connect()` returns a connected one).
  createdIdle: { newOnly: true },
  // connect(): Promise<this>.
  returnsSelf: set('connect'),
  // A failed connect() closes the topology it opened before it rejects (mongo_client.ts `_connect`): nothing is held.
  rejectionCloses: set('connect'),
  // `MongoClient.connect(url, (err, client) => …)`: the callback form of drivers 3 and 4 (removed in 5, so the typings
  // know only the promise form) hands the connected client to the callback, which owns it; none on an error.
  callbackFactories: new Map([['connect', { error: 0, resource: 1 }]]),
  creates: set('startSession'),
  // A Db keeps its client (`db.client`), and a collection its Db's, and a change stream (`watch()`) the client it
  // watches through: whoever holds one uses the client.
  handles: set('db', 'watch'),
  // `collection.watch().on('change', fn)`: a change stream of the client, served for the life of the process.
  handleServerEvents: set('change'),
  // close() ends every session the client has started (mongo_client.ts: activeSessions).
  releasesCreated: set('startSession'),
  closeEvent: 'close',
  // 'topologyClosed' is emitted by close() (sdam/topology.js `close()`); 'close' is in the typings' event list but
  // emitted by no code of drivers 4–7 (driver 3 emitted it on close()): a listener of either runs only once closed.
  closedEvents: set('topologyClosed', 'close'),
  disposable: true,
  finallyRelease: 'close',
});

/**
 * An explicit session: `endSession()` returns it to the client's pool. A transaction on an ended session fails
 * (MongoExpiredSessionError "Cannot use a session that has ended"). Disposable (`[Symbol.asyncDispose]`).
 */
export const MONGO_CLIENT_SESSION: ResourceKind = libraryKind({
  name: 'ClientSession',
  noun: 'session',
  releases: set('endSession'),
  uses: set('startTransaction', 'commitTransaction', 'abortTransaction', 'withTransaction'),
  // `coll.insertOne(doc, { session })`: the operation runs in the session; ending it stays the caller's.
  lentAs: set('session'),
  closeEvent: 'ended',
  closedEvents: set('ended'),
  disposable: true,
  guards: { deadProperties: set('hasEnded'), aliveProperties: set() },
  finallyRelease: 'endSession',
});
