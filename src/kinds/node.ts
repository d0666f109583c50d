/** Node.js's own sockets and servers (`@types/node`). */
import { set, NO_GUARDS, type Guards, type ReleaseArgument, type ResourceKind } from './kind';

// After release, write() and end(data) fail; cork() and setEncoding() act on a stream that is gone. Socket options
// (setNoDelay, setKeepAlive) and uncork() are silently ignored, so they are not reported.
const STREAM_USES = set('write', 'cork', 'setEncoding');

const STREAM_GUARDS: Guards = {
  deadProperties: set('destroyed', 'writableEnded', 'writableFinished', 'closed', 'pending', 'connecting'),
  aliveProperties: set('writable'),
  // `net.Socket#readyState`: 'readOnly' once this side has ended, 'closed' once destroyed.
  state: {
    property: 'readyState',
    open: new Set(['open', 'writeOnly']),
    closed: new Set(['closed', 'readOnly']),
    live: [set('opening'), set('open'), set('writeOnly')],
  },
};

/** `end(data)` writes before it half-closes. */
const END_WRITES: ReadonlyMap<string, ReleaseArgument> = new Map([['end', { index: 0, when: 'data', effect: 'writes' }]]);

export const NET_SOCKET: ResourceKind = {
  name: 'net.Socket',
  noun: 'socket',
  // `new net.Socket({ signal })`, `net.connect({ port, signal })`: aborting destroys it.
  abortSignal: { creation: true, methods: set('connect') },
  releases: set('end', 'destroy', 'destroySoon', 'resetAndDestroy'),
  destroys: set('destroy', 'resetAndDestroy'),
  gracefulRelease: 'end',
  releaseArguments: END_WRITES,
  uses: STREAM_USES,
  // `end()` half-closes: the reply is read after it.
  readUses: set('setEncoding'),
  reopens: set('connect'),
  returnsSelf: set(),
  creates: set(),
  doubleReleaseThrows: false,
  errorEvent: { name: 'error', destroys: true },
  // With the default allowHalfOpen: false, the socket ends its side when the peer's FIN arrives.
  closeEvent: 'close',
  closedEvents: set('close', 'end'),
  // Writable's afterWrite emits 'drain' only while the stream is neither ending nor destroyed.
  quietAfterRelease: set('drain'),
  // Node's own 'end' handler (registered before any user listener) replaces write() with one that fails.
  peerEnd: { event: 'end', halfOpenOption: 'allowHalfOpen' },
  peerCanClose: true,
  // `net.connect({ timeout })`, `tls.connect({ timeout })`: the option calls setTimeout() on the new socket.
  idleTimeout: { method: 'setTimeout', event: 'timeout', listenerArgument: 1, option: 'timeout' },
  creationCallbackEvent: 'connect',
  // `new net.Socket()` opens nothing until `connect()` (`net.connect()` returns a connecting one); `{ fd }` and
  // `{ handle }` wrap an open descriptor.
  createdIdle: { newOnly: true, heldOptions: set('fd', 'handle') },
  disposable: true,
  isStream: true,
  guards: STREAM_GUARDS,
  suggestedRelease: 'end() or destroy()',
  finallyRelease: 'destroy',
};

// `new tls.TLSSocket(socket)` wraps a socket that is open already.
export const TLS_SOCKET: ResourceKind = {
  ...NET_SOCKET,
  name: 'tls.TLSSocket',
  uses: set(...STREAM_USES, 'renegotiate'),
  createdIdle: undefined,
  wrapsStream: { constructorArgument: 0, option: 'socket' },
};

export const DGRAM_SOCKET: ResourceKind = {
  name: 'dgram.Socket',
  noun: 'socket',
  // `dgram.createSocket({ type: 'udp4', signal })`: aborting closes it.
  abortSignal: { creation: true, methods: set() },
  releases: set('close'),
  destroys: set('close'),
  releaseArguments: new Map(),
  uses: set(
    'send',
    'bind',
    'connect',
    'disconnect',
    'address',
    'remoteAddress',
    'addMembership',
    'dropMembership',
    'addSourceSpecificMembership',
    'dropSourceSpecificMembership',
    'setBroadcast',
    'setTTL',
    'setMulticastTTL',
    'setMulticastLoopback',
    'setMulticastInterface',
    'getRecvBufferSize',
    'getSendBufferSize',
    'setRecvBufferSize',
    'setSendBufferSize',
    'getSendQueueSize',
    'getSendQueueCount',
  ),
  reopens: set(),
  returnsSelf: set(),
  creates: set(),
  doubleReleaseThrows: true,
  // Every method but close() and the listener ones checks the handle first and throws once it is closed.
  usesThrow: true,
  // A failed bind() or send() leaves the socket open (bound, or implicitly bound by send()).
  errorEvent: { name: 'error', destroys: false, leavesOpen: true },
  closeEvent: 'close',
  closedEvents: set('close'),
  peerCanClose: false,
  creationCallbackEvent: 'message',
  // A bound socket with a 'message' listener is a UDP server (a syslog or NetFlow receiver, a relay).
  receiver: { events: set('message'), bindMethods: set('bind'), queryMethods: set('send') },
  // `bind(port, cb)`: cb is a 'listening' listener.
  callbackEvents: new Map([['bind', 'listening']]),
  disposable: true,
  isStream: false,
  guards: NO_GUARDS,
  suggestedRelease: 'close()',
  finallyRelease: 'close',
};

/** Events whose listeners are told of a connection or request: a server with one serves for the process's life. */
const SERVER_HANDLER_EVENTS = set('connection', 'request', 'secureConnection', 'upgrade', 'stream', 'session', 'checkContinue', 'connect');

export const NET_SERVER: ResourceKind = {
  name: 'net.Server',
  noun: 'server',
  // `server.listen({ port, signal })`: aborting closes the listening server.
  abortSignal: { creation: false, methods: set('listen') },
  releases: set('close'),
  destroys: set('close'),
  releaseArguments: new Map(),
  // listen() after close() is legal and address() merely returns null: a closed server has no failing use.
  uses: set(),
  reopens: set('listen'),
  returnsSelf: set(),
  creates: set(),
  doubleReleaseThrows: false,
  errorEvent: { name: 'error', destroys: false, failedListen: true },
  closeEvent: 'close',
  closedEvents: set('close'),
  peerCanClose: false,
  creationCallbackEvent: 'connection',
  // `listen(port, cb)`: cb is a 'listening' listener.
  callbackEvents: new Map([['listen', 'listening']]),
  disposable: true,
  serverHandlerEvents: SERVER_HANDLER_EVENTS,
  // An `http.Server`'s upgrade or CONNECT request: its listener owns the connection's socket (a `stream.Duplex` in the
  // typings; Node destroys it only when nothing listens), and destroying the request it gets destroys that socket.
  listenerCreates: new Map([
    ['upgrade', { resource: 1, kind: 'net.Socket', destroyedWith: { param: 0, methods: set('destroy') }, sharedWithOtherListeners: true }],
    ['connect', { resource: 1, kind: 'net.Socket', destroyedWith: { param: 0, methods: set('destroy') }, sharedWithOtherListeners: true }],
  ]),
  servingCreators: set('listen'),
  // Not listening yet, it holds no handle.
  idleUntil: set('listen'),
  isStream: false,
  // Not listening (never bound, or closed): it holds no handle, so there is nothing to close.
  guards: { deadProperties: set(), aliveProperties: set('listening'), heldWhile: set('listening') },
  suggestedRelease: 'close()',
  finallyRelease: 'close',
};

/**
 * `http.request()` / `https.request()`: the request is not sent until `end()` is called, and holds an agent's socket
 * until it completes or is destroyed. `http.get()` ends the request it returns. A 'timeout' event does not abort the
 * request (`req.setTimeout()` only emits it); write() after end() fails, and so does setHeader() once the headers
 * are sent.
 */
export const HTTP_CLIENT_REQUEST: ResourceKind = {
  name: 'http.ClientRequest',
  noun: 'request',
  // `http.request(url, { signal })`: aborting destroys the request.
  abortSignal: { creation: true, methods: set() },
  releases: set('end', 'destroy', 'abort'),
  destroys: set('destroy', 'abort'),
  releaseArguments: END_WRITES,
  uses: set('write', 'setHeader'),
  reopens: set(),
  returnsSelf: set(),
  creates: set(),
  releasedByCreator: set('get'),
  doubleReleaseThrows: false,
  errorEvent: { name: 'error', destroys: true },
  closeEvent: 'close',
  closedEvents: set('close'),
  // Its response comes once it is sent: a 'response' listener (the creation's callback) finds it ended.
  eventsAfterRelease: set('response'),
  peerCanClose: true,
  // `end()` in a 'timeout' listener would send the request, not give it up.
  // The agent's timeout (the global agent's is 5 s since Node 19) arms it too.
  idleTimeout: { method: 'setTimeout', event: 'timeout', listenerArgument: 1, release: 'destroy()', option: 'timeout', armedByDefault: true },
  creationCallbackEvent: 'response',
  // A CONNECT or upgrade request's listener gets the socket (a `stream.Duplex` in the typings): it must end it;
  // destroying the response it gets with it (`res.destroy()`) destroys that socket (the response's own).
  listenerCreates: new Map([
    ['connect', { resource: 1, kind: 'net.Socket', destroyedWith: { param: 0, methods: set('destroy') } }],
    ['upgrade', { resource: 1, kind: 'net.Socket', destroyedWith: { param: 0, methods: set('destroy') } }],
  ]),
  disposable: false,
  isStream: true,
  guards: { deadProperties: set('destroyed', 'writableEnded', 'writableFinished', 'finished'), aliveProperties: set('writable') },
  suggestedRelease: 'end() or destroy()',
  finallyRelease: 'destroy',
};

export const HTTP2_SESSION: ResourceKind = {
  name: 'http2.ClientHttp2Session',
  noun: 'session',
  releases: set('close', 'destroy'),
  destroys: set('destroy'),
  releaseArguments: new Map(),
  uses: set('request', 'ping', 'settings', 'setLocalWindowSize'),
  reopens: set(),
  returnsSelf: set(),
  creates: set(),
  doubleReleaseThrows: false,
  errorEvent: { name: 'error', destroys: true },
  closeEvent: 'close',
  closedEvents: set('close'),
  peerCanClose: true,
  creationCallbackEvent: 'connect',
  disposable: false,
  isStream: false,
  guards: { deadProperties: set('destroyed', 'closed'), aliveProperties: set() },
  suggestedRelease: 'close() or destroy()',
  finallyRelease: 'destroy',
};
