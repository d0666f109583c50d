/** WebSocket clients and servers: the `ws` package (`@types/ws`), and the WHATWG WebSocket (Node 22+ global, DOM, undici). */
import { set, type ResourceKind } from './kind';

export const WEB_SOCKET: ResourceKind = {
  name: 'WebSocket',
  noun: 'socket',
  releases: set('close', 'terminate'),
  destroys: set('terminate'),
  releaseArguments: new Map(),
  // send() after close() reports an error to its callback (or throws without one).
  uses: set('send', 'ping', 'pong'),
  reopens: set(),
  returnsSelf: set(),
  creates: set(),
  doubleReleaseThrows: false,
  errorEvent: { name: 'error', destroys: true },
  closeEvent: 'close',
  closedEvents: set('close'),
  // What ws's lib/websocket.js emits (and @types/ws declares).
  emitsOnly: set('close', 'error', 'message', 'open', 'ping', 'pong', 'redirect', 'unexpected-response', 'upgrade'),
  peerCanClose: true,
  creationCallbackEvent: 'open',
  inertWithoutAddress: true,
  releaseCancelsConnection: true,
  disposable: false,
  isStream: false,
  guards: {
    deadProperties: set(),
    aliveProperties: set(),
    state: {
      property: 'readyState',
      open: new Set<string | number>([1, 'open', 'OPEN']),
      closed: new Set<string | number>([2, 3, 'closed', 'CLOSED', 'CLOSING']),
      live: [new Set<string | number>([0, 'CONNECTING']), new Set<string | number>([1, 'open', 'OPEN'])],
      numbers: new Map([
        ['CONNECTING', 0],
        ['OPEN', 1],
        ['CLOSING', 2],
        ['CLOSED', 3],
      ]),
    },
  },
  suggestedRelease: 'close() or terminate()',
  finallyRelease: 'terminate',
  finallyNeedsEvent: 'open',
};

export const WEB_SOCKET_SERVER: ResourceKind = {
  name: 'WebSocketServer',
  noun: 'server',
  releases: set('close'),
  destroys: set('close'),
  releaseArguments: new Map(),
  uses: set(),
  reopens: set(),
  returnsSelf: set(),
  creates: set(),
  doubleReleaseThrows: false,
  errorEvent: { name: 'error', destroys: false, failedListen: true },
  closeEvent: 'close',
  closedEvents: set('close'),
  peerCanClose: false,
  creationCallbackEvent: 'listening',
  disposable: false,
  serverHandlerEvents: set('connection', 'upgrade'),
  inertOptions: set('noServer'),
  // `new WebSocketServer({ server })`: it serves that HTTP server's upgrades, and its close() leaves the server open.
  borrowsOptions: set('server'),
  attachedOptions: set('server'),
  relaysEvents: set('error', 'listening'),
  isStream: false,
  guards: { deadProperties: set(), aliveProperties: set() },
  suggestedRelease: 'close()',
  finallyRelease: 'close',
};

/**
 * The WHATWG `WebSocket`: Node's global one (22 and later; undici's, typed by `undici-types`), the DOM's, and
 * `undici`'s export. `close()` starts the closing handshake; there is no `terminate()`, `ping()` or `pong()`. An
 * `'error'` event is followed by `'close'` (the connection fails), and `send()` after `close()` drops the data; no
 * `'message'` is dispatched once it is closing.
 */
export const WHATWG_WEB_SOCKET: ResourceKind = {
  ...WEB_SOCKET,
  releases: set('close'),
  // From `close()` on (readyState CLOSING) the socket dispatches no more 'message' events (the standard drops what
  // arrives), only its 'error' and 'close': for its listeners, a teardown as `terminate()` is for `ws`.
  destroys: set('close'),
  uses: set('send'),
  // Its constructor takes no callback; `'open'` is the event that the connection was established: `close()` while
  // connecting fails the connection, so no `'open'` comes after it (as for `ws`).
  suggestedRelease: 'close()',
  finallyRelease: 'close',
  finallyNeedsEvent: undefined,
};
