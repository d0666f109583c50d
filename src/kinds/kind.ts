/**
 * A resource kind: everything the analysis knows about one type of socket, server or client, as data. The
 * engine never spells a method or event name of a resource; it asks the kind.
 */

/** How an argument changes the meaning of a release call. */
export interface ReleaseArgument {
  /** Zero-based argument index. */
  readonly index: number;
  /**
   * When the argument counts: `data` — present and not a function nor `undefined` (`end(data)`);
   * `truthy` — present and not a literal `false`/`0`/`null`/`undefined` (`release(err)`, `disconnect(true)`).
   */
  readonly when: 'data' | 'truthy';
  /**
   * What it does: `writes` — the call writes before it releases (a use when already released); `destroys` — the
   * release tears the resource down at once; `notRelease` — the call does not release at all (reconnects).
   */
  readonly effect: 'writes' | 'destroys' | 'notRelease';
}

/** The idle timeout of a stream socket: `setTimeout(ms[, listener])` arms an event that does not close it. */
export interface IdleTimeout {
  /** Method that arms it (`setTimeout`). */
  readonly method: string;
  /** Event emitted when it fires (`timeout`). */
  readonly event: string;
  /** Index of the optional listener argument. */
  readonly listenerArgument: number;
  /** What its listener should call, when not the kind's suggested release (a timed-out request is destroyed, not ended). */
  readonly release?: string;
  /** The property of the creation call's options object that arms it too (`net.connect({ timeout })`). */
  readonly option?: string;
  /**
   * Something the code does not show may arm it: an agent's default (Node 19 and later give the global http agent a
   * 5 s timeout, which a request's socket inherits). Its 'timeout' listeners are then always checked.
   */
  readonly armedByDefault?: boolean;
}

/**
 * A method that hands a NEW resource to its error-first callback instead of returning it:
 * `pool.connect((err, client, done) => …)`. The callback owns the resource once it runs without an error.
 */
export interface CallbackCreation {
  /** Index of the callback parameter that receives the error. */
  readonly error: number;
  /** Index of the callback parameter that receives the resource. */
  readonly resource: number;
  /** Index of a callback parameter that is a function releasing the resource (`done`), if any. */
  readonly release?: number;
}

/** A new resource handed to the listener of one of the kind's events, which then owns it. */
export interface ListenerCreation {
  /** Index of the listener parameter that receives the resource. */
  readonly resource: number;
  /** The name of the received resource's kind (its declared type may be a plain `stream.Duplex`). */
  readonly kind: string;
  /**
   * A listener parameter whose named methods destroy the resource too (the `http.IncomingMessage` of an
   * `'upgrade'`, whose `destroy()` destroys the upgraded socket): its index and those methods.
   */
  readonly destroyedWith?: { readonly param: number; readonly methods: ReadonlySet<string> };
  /**
   * Every listener of the event gets the same resource, and a listener may leave it to another (an `http.Server`'s
   * `'upgrade'`: one listener per path). The listener owns it only when it is the one listener of an emitter the
   * file makes and hands to no other code; the emitter's own release does not destroy it.
   */
  readonly sharedWithOtherListeners?: boolean;
}

/** Property tests that tell whether the resource is still usable. */
export interface Guards {
  /** Boolean properties that are true once the resource is released (`destroyed`, `writableEnded`). */
  readonly deadProperties: ReadonlySet<string>;
  /** Boolean properties that are true while it is usable (`writable`). */
  readonly aliveProperties: ReadonlySet<string>;
  /**
   * Boolean properties that are true as long as it holds anything (node-redis `isOpen`: connected, connecting or
   * reconnecting): false proves there is nothing left to release. (Not `isReady`, false while it reconnects.)
   */
  readonly heldWhile?: ReadonlySet<string>;
  /** A state property compared with constants (`readyState === WebSocket.OPEN`). */
  readonly state?: {
    readonly property: string;
    /** Literal values and constant names (`OPEN`) that mean "open". */
    readonly open: ReadonlySet<string | number>;
    /** Literal values and constant names that mean "closing or closed". */
    readonly closed: ReadonlySet<string | number>;
    /** Those of {@link closed} after which nothing is held any more (default: all of them). */
    readonly gone?: ReadonlySet<string | number>;
    /**
     * Every state in which the resource still holds something, each as the names and values that denote it
     * (`[0, 'CONNECTING']`): a branch whose test rules all of them out (`readyState === OPEN || readyState ===
     * CONNECTING` false) has nothing to release.
     */
    readonly live?: ReadonlyArray<ReadonlySet<string | number>>;
    /** The numbers of named states (`CLOSING` → 2), for ordered tests (`readyState < WebSocket.CLOSING`). */
    readonly numbers?: ReadonlyMap<string, number>;
  };
}

export interface ResourceKind {
  /** Name shown in messages, e.g. `net.Socket`, `pg PoolClient`. */
  readonly name: string;
  /** What one of these is called in prose: `socket`, `server`, `client`, `connection`. */
  readonly noun: string;
  /** Methods that release the resource. */
  readonly releases: ReadonlySet<string>;
  /** Release methods that tear the resource down at once (no more events afterwards). */
  readonly destroys: ReadonlySet<string>;
  /**
   * The half-closing release that the `endIsRelease` setting governs (`end()` on a stream socket: it sends FIN and
   * the socket is freed once the peer answers). Absent when every release frees the resource by itself.
   */
  readonly gracefulRelease?: string;
  /**
   * Uses that set up the reading side (`setEncoding()`): after the graceful release the peer's reply is still read
   * (`s.end(request); s.setEncoding('utf8').on('data', …)`), so they count as uses only after a release that
   * destroys.
   */
  readonly readUses?: ReadonlySet<string>;
  /** Release calls whose arguments change their meaning, by method name. */
  readonly releaseArguments: ReadonlyMap<string, ReleaseArgument>;
  /**
   * Methods that fail (throw, reject or emit an error) once the resource is released. `'*'` in the set means
   * every method call except releases, reopens, listener registration and EventEmitter's own methods.
   */
  readonly uses: ReadonlySet<string>;
  /** Methods that make a released resource usable again (`connect()` on a `net.Socket`). */
  readonly reopens: ReadonlySet<string>;
  /** Methods that return the resource itself (besides those declared to return `this`). */
  readonly returnsSelf: ReadonlySet<string>;
  /**
   * A resource this library's own creation makes holds nothing yet (no socket, no connection) until it is first
   * used: a method call other than a listener registration or a release, or a hand-off (`new ssh2.Client()` until
   * `connect()`, `new pg.Pool()` until `query()` or `connect()`, node-redis `createClient()` until `connect()`). Exits
   * before that leave nothing open. `newOnly`: only `new C()` makes it idle (`net.connect()` returns a connecting
   * socket, `new net.Socket()` an idle one); `heldOptions`: options properties that give it something to hold at once
   * (`new net.Socket({ fd })`); `keptIdleBy`: methods that leave it idle (node-redis `duplicate()`: the copy is a new
   * client, the template stays unconnected); `openedOnlyBy`: the only methods that open it (a pg `Client`'s `query()`
   * before `connect()` is queued and opens nothing); `idleWithOptions`: it is idle only when one of these options is
   * given as `true` in an object literal (ioredis `new Redis(url, { lazyConnect: true })`; without it, it connects at
   * once).
   */
  readonly createdIdle?: {
    readonly newOnly?: boolean;
    readonly heldOptions?: ReadonlySet<string>;
    readonly idleWithOptions?: ReadonlySet<string>;
    readonly keptIdleBy?: ReadonlySet<string>;
    readonly openedOnlyBy?: ReadonlySet<string>;
  };
  /**
   * Methods that (re)connect the resource and whose failure leaves it open and retrying: ioredis `connect()` rejects
   * when the first attempt fails, with the next attempt already scheduled. An awaited call of one is an exit by
   * rejection like an operation's (other reconnecting methods are not: when they fail there is nothing open).
   */
  readonly rejectionKeepsOpen?: ReadonlySet<string>;
  /**
   * Operations whose failure leaves the resource as it was before the call: pg `pool.query()` ends the client it
   * checked out when the query fails, so a pool that held nothing before still holds nothing (one with idle clients
   * keeps them). A rejection of one is a leak only where the resource was already open before it.
   */
  readonly failureLeavesAsBefore?: ReadonlySet<string>;
  /**
   * The resource is itself a function (postgres.js's `sql`): calling it (`sql(rows)`) or tagging a template with it
   * (``sql`select 1` ``) is an operation on it — a use, after its release a failing one, and the first use of one
   * created idle.
   */
  readonly callable?: boolean;
  /**
   * Methods that return the resource wrapped, not a new one (undici `compose()`: a proxy of the dispatcher): the
   * wrapper goes where the resource goes (returned, stored, handed off).
   */
  readonly wrapsSelf?: ReadonlySet<string>;
  /**
   * Where a creation of this kind is given an open stream to wrap (`new tls.TLSSocket(socket)`: argument 0 of `new`;
   * `tls.connect({ socket })`: the `socket` option). A wrapper over a stream the function was given — of a
   * resource kind, a plain `stream.Duplex` (what http's 'upgrade' and 'connect' events hand over) or `any` — is
   * released with that stream by its owner; see docs/rules/no-leak.md.
   */
  readonly wrapsStream?: {
    readonly constructorArgument?: number;
    readonly option?: string;
    /**
     * The option of a call of one of these methods on the resource that gives it the stream to run over (ssh2's
     * `client.connect({ sock })`): a wrapping place as the creation's own.
     */
    readonly methodOption?: { readonly methods: ReadonlySet<string>; readonly option: string };
  };
  /**
   * Where an `AbortSignal` can be given that closes the resource when its controller aborts: in the creation's
   * options (`dgram.createSocket({ type, signal })`, `http.request(url, { signal })`) and in the options of these
   * methods (`server.listen({ port, signal })`). Each `controller.abort()` of that controller is then a release.
   */
  readonly abortSignal?: { readonly creation: boolean; readonly methods: ReadonlySet<string> };
  /** Methods that create and return a NEW resource that the caller owns (`duplicate()`). */
  readonly creates: ReadonlySet<string>;
  /**
   * Methods that return a handle through which the resource stays in use and reachable (MongoClient `db()`: a `Db`
   * keeps its client, and so does a collection taken from it). Storing, returning or handing on such a handle (or
   * one taken from it by further calls) hands the resource off; an awaited call on a handle held in a local is an
   * operation of the resource (it can reject).
   */
  readonly handles?: ReadonlySet<string>;
  /**
   * Events of a handle (or of what further calls on it give) whose listener makes the resource serve for the life of
   * the process, as a server's handler does (MongoDB's change streams: `client.db(a).collection(b).watch().on('change',
   * fn)` keeps the client's connection busy serving `fn`). Registered with `on()`, not `once()`.
   */
  readonly handleServerEvents?: ReadonlySet<string>;
  /**
   * Functions that return one of these already released, so that a call of one is no creation (`http.get()` ends
   * the request it returns), by the called function's or method's name.
   */
  readonly releasedByCreator?: ReadonlySet<string>;
  /**
   * Options that, set to literal `true` in the options object a creation is given (its first argument), make the new
   * object own no socket, so that it is no creation (ws `new WebSocketServer({ noServer: true })` only upgrades
   * connections handed to it; its `close()` frees nothing).
   */
  readonly inertOptions?: ReadonlySet<string>;
  /**
   * A creation given literal `null` as its first argument (the address) owns no connection of its own (ws `new
   * WebSocket(null)` is the server side of a connection, over a socket that `setSocket()` hands it later and whose
   * owner closes it), so that it is no creation.
   */
  readonly inertWithoutAddress?: boolean;
  /**
   * Options naming an existing server that the new object attaches to (ws `new WebSocketServer({ server })`): given
   * any value but a literal `null`, `undefined` or `false`, the new object owns no socket of its own (the server's
   * owner closes that one), so that it is no creation either.
   */
  readonly attachedOptions?: ReadonlySet<string>;
  /**
   * Events of the attached server that the new object emits again (ws re-emits the HTTP server's `'error'` and
   * `'listening'`): its listeners of these are listeners of that server.
   */
  readonly relaysEvents?: ReadonlySet<string>;
  /**
   * Option names under which any call only uses one of these, without keeping it (undici `request(url, {
   * dispatcher })`, mongodb `coll.insertOne(doc, { session })`): passing it so hands nothing off.
   */
  readonly lentAs?: ReadonlySet<string>;
  /**
   * Options of this kind's creation that it uses without owning (ws `new WebSocketServer({ server })` serves an HTTP
   * server it does not close): passing a resource so hands nothing off.
   */
  readonly borrowsOptions?: ReadonlySet<string>;
  /**
   * Methods whose callback argument is a listener of one of its events (dgram `bind(port, cb)`: 'listening'): the
   * callback runs as that listener on the resource itself.
   */
  readonly callbackEvents?: ReadonlyMap<string, string>;
  /**
   * Methods of {@link creates} whose resources this one's release also releases (amqplib's `close()` closes every
   * channel of the connection; `MongoClient#close()` ends its sessions).
   */
  readonly releasesCreated?: ReadonlySet<string>;
  /**
   * What {@link releasesCreated}' methods make does not give this resource back (a mysql2 `PoolConnection` has no
   * public `pool`, unlike an amqplib channel's `connection`): handing such a resource off does not hand this one off.
   */
  readonly createdHidesCreator?: boolean;
  /** Methods that hand a NEW resource to their callback (the callback owns it), by method name. */
  readonly callbackCreates?: ReadonlyMap<string, CallbackCreation>;
  /**
   * Functions of the kind's library — not methods of a resource — that hand a NEW resource of this kind to their
   * error-first callback, given in place (amqplib's callback API: `amqp.connect(url, (err, conn) => …)`), by name.
   * The callback owns it, as with {@link callbackCreates}.
   */
  readonly callbackFactories?: ReadonlyMap<string, CallbackCreation>;
  /**
   * Events whose listener receives a NEW resource and owns it, by event name: an `http.ClientRequest`'s `'connect'`
   * and `'upgrade'` hand over the tunnel's socket (Node destroys it only when nothing listens).
   */
  readonly listenerCreates?: ReadonlyMap<string, ListenerCreation>;
  /** Calling a release method a second time is itself an error (dgram `close()`). */
  readonly doubleReleaseThrows: boolean;
  /**
   * A use after the release throws at once (dgram `send()`: ERR_SOCKET_DGRAM_NOT_RUNNING), where a `catch` around it
   * takes the failure: a callback that may run after the release and uses it inside such a `try` handles the case.
   */
  readonly usesThrow?: boolean;
  /**
   * Operations whose failure leaves the resource closed (an amqplib channel's requests to the broker: a failed one is
   * a channel error, and the broker closes the channel), or holding nothing more than before (a pg pool's failed
   * checkout): no path leaks it because one of them rejected.
   */
  readonly rejectionCloses?: ReadonlySet<string>;
  /**
   * Methods taking an error-first callback whose error means the resource is closed, whatever it held before (a
   * mysql2 connection's `connect(cb)`: a failed handshake is a network error or timeout that destroys the socket, or
   * the server's refusal, after which it closes the connection): on the branch where that error is set, nothing is open.
   */
  readonly failureCloses?: ReadonlySet<string>;
  /**
   * The event that reports an error, and whether it destroys the resource by itself. `failedListen`: on a server,
   * the event before 'listening' is a failed `listen()`, which closed the handle, and one after it leaves a server
   * that the setup already settled with (or leaked on that path): a settle in its listener leaves nothing open.
   * `leavesOpen`: after an error (a failed `bind()`, a failed `send()`) the resource stays open and no other event
   * is sure to come: a listener or operation callback that settles the operation then, without releasing it, leaves it
   * open. `callbackErrorsLeaveOpen`: an operation's failure given to its callback is no error of the resource (an
   * ssh2 channel refused: `forwardOut(…, (err) => …)`), which stays open even though its error event destroys it.
   * `thrownFromCallbacks`: the library runs its operations' callbacks while it reads from the connection and catches
   * what they throw, emits it as this event and ends the connection (ssh2: `if (err) throw err;` in an `exec()`
   * callback): a callback that throws leaves nothing open.
   */
  readonly errorEvent?: {
    readonly name: string;
    readonly destroys: boolean;
    readonly failedListen?: boolean;
    readonly leavesOpen?: boolean;
    readonly callbackErrorsLeaveOpen?: boolean;
    readonly thrownFromCallbacks?: boolean;
  };
  /** The event emitted once the resource is fully closed (`close`). */
  readonly closeEvent: string;
  /** Events after which the resource is released (`close`; `end` for a stream without half-open). */
  readonly closedEvents: ReadonlySet<string>;
  /**
   * Every event the resource emits, where its library emits no other (a `ws` WebSocket's nine), besides an emitter's
   * own `'newListener'` and `'removeListener'`. A listener of another event (`ws.on('rejected', …)`, matched only by
   * the typings' catch-all `string` overload) never runs, unless the file emits that event itself.
   */
  readonly emitsOnly?: ReadonlySet<string>;
  /**
   * Events the resource emits only when the method that opens it is given an option (ssh2's `'timeout'`: the socket's
   * idle timeout, armed only by `connect({ timeout })`). Where every such call of the owner gives an options literal
   * without it, a listener of the event never runs.
   */
  readonly eventsArmedByOption?: ReadonlyMap<string, { readonly methods: ReadonlySet<string>; readonly option: string }>;
  /**
   * Events that come only once the owner has released the resource itself: an `http.ClientRequest`'s `'response'`
   * (a request is sent — ended — before its response comes). A listener of one runs with the resource released.
   */
  readonly eventsAfterRelease?: ReadonlySet<string>;
  /**
   * Events the resource no longer emits once any of its releases is made, the graceful one too: a stream socket's
   * `'drain'` (a Writable that is ending or destroyed emits none). A listener of its own for one cannot run after a
   * release of it.
   */
  readonly quietAfterRelease?: ReadonlySet<string>;
  /**
   * The event of the peer ending its side, after which the resource has ended its own unless it was made half-open
   * (a `net.Socket`'s `'end'`: with the default `allowHalfOpen: false` its writes fail from then on). A listener of
   * its own for it runs with the resource released — except in a file that mentions `halfOpenOption`.
   */
  readonly peerEnd?: { readonly event: string; readonly halfOpenOption: string };
  /** The peer can close the resource at any time (stream connections). */
  readonly peerCanClose: boolean;
  /**
   * The peer never closes it without an {@link errorEvent} first, on it or on the connection it belongs to (amqplib:
   * a channel error, a forced or lost connection). A program that listens for that error nowhere dies of it
   * (an unhandled 'error' event throws) before a deferred use can meet the closed resource.
   */
  readonly peerClosesWithError?: boolean;
  /**
   * The client reconnects by itself after errors and lost connections until it is released (mqtt, ioredis,
   * node-redis, MongoClient): no event is bound to end it, so giving up on it (settling the operation from a timer
   * or an 'error' listener) without releasing it leaks it.
   */
  readonly reconnects?: boolean;
  /** Idle timeout that emits an event without closing the resource. */
  readonly idleTimeout?: IdleTimeout;
  /**
   * The library gives up on a handshake that has not completed in time and releases the resource itself (ssh2's
   * `connect({ readyTimeout })`, 20 s by default: it emits 'error' and destroys the socket). A timer of the caller's
   * that gives up no sooner (the same delay, or a longer one) leaves nothing open.
   */
  readonly handshakeDeadline?: { readonly methods: ReadonlySet<string>; readonly option: string; readonly defaultMs: number };
  /** The event that the creation call's own callback listens to (`net.connect(port, onConnect)`). */
  readonly creationCallbackEvent?: string;
  /**
   * Any release before the connection is established cancels it, so {@link creationCallbackEvent} never fires
   * after a release (a `ws` WebSocket closed while connecting aborts the handshake; a `net.Socket` ended while
   * connecting still connects, then ends).
   */
  readonly releaseCancelsConnection?: boolean;
  /**
   * Events the resource emits each time its connection opens (again), for a kind that reconnects by itself until it
   * is released (ioredis, node-redis `'ready'`, `'connect'`): after a release it stops reconnecting, so a listener
   * of the resource for one of them runs only while it is open (a method that reopens it is checked as a reopen).
   */
  readonly openEvents?: ReadonlySet<string>;
  /** Released by `using` / `await using` (has `Symbol.dispose` / `Symbol.asyncDispose`). */
  readonly disposable: boolean;
  /**
   * A server: events whose listeners handle connections or requests. A server with such a handler serves for
   * the life of the process.
   */
  readonly serverHandlerEvents?: ReadonlySet<string>;
  /**
   * Methods of another object that return a server already serving that object (Express and Koa `app.listen(port)`:
   * the app is the request handler). Such a server has its handler, as `createServer(handler)` does.
   */
  readonly servingCreators?: ReadonlySet<string>;
  /**
   * Methods before which the resource holds nothing (a server before `listen()`): one that is never given one, nor
   * handed anywhere, needs no release (a server made only to parse what `server.emit('connection', socket)` feeds
   * it).
   */
  readonly idleUntil?: ReadonlySet<string>;
  /**
   * A receiver: bound by one of `bindMethods` (a dgram socket's `bind()`) and given a listener (`on`, not `once`) for
   * one of `events` (`'message'`), it serves incoming datagrams for the life of the process, as a server with a
   * handler does. A socket that only waits `once` for a reply is a client.
   */
  readonly receiver?: {
    readonly events: ReadonlySet<string>;
    readonly bindMethods: ReadonlySet<string>;
    /**
     * Methods that send a query (`send()`, outside the listeners of `events`, where a server replies): with them, a
     * close in its own `'error'` listener marks a client waiting for replies; without them it is a server's cleanup.
     */
    readonly queryMethods: ReadonlySet<string>;
  };
  /**
   * Methods that register a handler of incoming work (amqplib `consume(queue, onMessage)`, node-redis
   * `subscribe(channel, listener)`): given a function, they make the resource serve for the life of the process, as
   * a server with a handler does.
   */
  readonly handlerMethods?: ReadonlySet<string>;
  /** A writable stream: `src.pipe(it)` and `stream.pipeline(…, it, …)` end it; `it.pipe(dst)` is a use. */
  readonly isStream: boolean;
  /** Liveness tests. */
  readonly guards: Guards;
  /** Suggested release for messages, e.g. `end() or destroy()`. */
  readonly suggestedRelease: string;
  /** The release a `finally` block should call (it must work in any state). */
  readonly finallyRelease: string;
  /**
   * The `finally` release is safe only after this event was awaited (`terminate()` on a connecting WebSocket emits
   * an error nobody listens to).
   */
  readonly finallyNeedsEvent?: string;
}

export const set = (...values: string[]): ReadonlySet<string> => new Set(values);

/** Every method of the resource except releases, reopens and listener registration is a use. */
export const EVERY_METHOD = '*';

/**
 * EventEmitter's own methods besides listener registration: they act on the emitter object, not on the
 * connection, and work after a release. Never uses under {@link EVERY_METHOD}.
 */
export const EMITTER_METHODS = set(
  'emit',
  'off',
  'removeListener',
  'removeAllListeners',
  'setMaxListeners',
  'getMaxListeners',
  'listeners',
  'rawListeners',
  'listenerCount',
  'eventNames',
);

export const NO_GUARDS: Guards = { deadProperties: set(), aliveProperties: set() };

/** What a call of `method` on a resource of `kind` does, given its arguments. */
export type CallMeaning =
  | { readonly t: 'release'; readonly destroys: boolean; readonly alsoUse: boolean }
  | { readonly t: 'use' }
  | { readonly t: 'reopen' }
  | { readonly t: 'none' };

export interface ArgumentView {
  /** Number of arguments. */
  readonly count: number;
  /** Is argument `i` present and "data" (not a function, not `undefined`)? */
  isData(i: number): boolean;
  /** Is argument `i` present and possibly truthy (not a literal false/0/null/undefined)? */
  isTruthy(i: number): boolean;
}

/**
 * The one place that decides what a method call means for a resource: release (and whether it destroys or also
 * writes), use, reopen, or nothing. `endIsRelease: false` makes the graceful release a plain use when it carries
 * data and nothing otherwise.
 */
export function callMeaning(kind: ResourceKind, method: string, args: ArgumentView, endIsRelease: boolean, isListenerMethod: boolean): CallMeaning {
  if (kind.releases.has(method)) {
    const rule = kind.releaseArguments.get(method);
    const applies = rule ? (rule.when === 'data' ? args.isData(rule.index) : args.isTruthy(rule.index)) : false;
    if (applies && rule?.effect === 'notRelease') return { t: 'none' };
    const alsoUse = applies && rule?.effect === 'writes';
    if (method === kind.gracefulRelease && !endIsRelease) return alsoUse ? { t: 'use' } : { t: 'none' };
    const destroys = kind.destroys.has(method) || (applies && rule?.effect === 'destroys');
    return { t: 'release', destroys, alsoUse };
  }
  if (kind.reopens.has(method)) return { t: 'reopen' };
  if (kind.uses.has(method)) return { t: 'use' };
  if (kind.uses.has(EVERY_METHOD) && !isListenerMethod && !EMITTER_METHODS.has(method) && !kind.returnsSelf.has(method) && !kind.creates.has(method)) {
    return { t: 'use' };
  }
  return { t: 'none' };
}

/**
 * The releases to suggest in a message: the kind's suggestion, or, when the graceful release does not count
 * (`endIsRelease: false`), the other releases.
 */
export function suggestedRelease(kind: ResourceKind, endIsRelease: boolean): string {
  if (endIsRelease || kind.gracefulRelease === undefined) return kind.suggestedRelease;
  const others = [...kind.releases].filter((m) => m !== kind.gracefulRelease && kind.destroys.has(m));
  return others.length > 0 ? others.map((m) => `${m}()`).join(' or ') : kind.suggestedRelease;
}

/** The word for the state after a release: `destroyed`, `ended`, `closed` or (any other release) `released`. */
export function releasedState(kind: ResourceKind, method: string, destroys: boolean): string {
  if (/^end/i.test(method)) return 'ended';
  if (/close|Soon$/i.test(method)) return 'closed';
  if (destroys || kind.destroys.has(method)) return 'destroyed';
  return 'released';
}

/** Is `event` the resource's final close event or its error event (listeners that are cleanup, not hand-offs)? */
/**
 * The methods that open a resource created idle ({@link ResourceKind.createdIdle}): its `openedOnlyBy` methods, else
 * its `reopens` (node-redis and MongoClient `connect()`). Empty for a kind not created idle.
 */
export function openingMethods(kind: ResourceKind): ReadonlySet<string> {
  const idle = kind.createdIdle;
  if (!idle) return EMPTY;
  return idle.openedOnlyBy ?? kind.reopens;
}

const EMPTY: ReadonlySet<string> = new Set();

export function isCloseOrErrorEvent(kind: ResourceKind, event: string | undefined): boolean {
  return event !== undefined && (event === kind.closeEvent || event === kind.errorEvent?.name);
}

/** Does a listener for `event` run only after the resource was released? */
export function releasedBeforeEvent(kind: ResourceKind, event: string | undefined): boolean {
  if (event === undefined) return false;
  return kind.closedEvents.has(event) || !!kind.eventsAfterRelease?.has(event) || (kind.errorEvent?.name === event && kind.errorEvent.destroys);
}
