import * as ts from 'typescript';

/**
 * The resource catalogue: which types are sockets, how each kind is released, what counts as a use of it, and
 * which of its events matter to the analysis.
 */
export interface ResourceKind {
  /** Name shown in messages, e.g. `net.Socket`. */
  readonly name: string;
  /** Methods that release the resource. */
  readonly releases: ReadonlySet<string>;
  /** Release methods that tear the resource down at once (no more events afterwards). */
  readonly destroys: ReadonlySet<string>;
  /** Methods that fail (throw or emit an error) once the resource is released. */
  readonly uses: ReadonlySet<string>;
  /** Methods that make a released resource usable again (`connect()` on a `net.Socket`). */
  readonly reopens: ReadonlySet<string>;
  /** Calling a release method a second time is itself an error (dgram `close()`). */
  readonly doubleReleaseThrows: boolean;
  /** An `'error'` event destroys the resource by itself. */
  readonly errorDestroys: boolean;
  /** The peer can close the resource at any time (stream connections). */
  readonly peerCanClose: boolean;
  /** Released by `using` / `await using` (has `Symbol.dispose` / `Symbol.asyncDispose`). */
  readonly disposable: boolean;
  /** A server: created with a connection handler it lives for the life of the process. */
  readonly isServer: boolean;
  /** A stream (writable side): `src.pipe(it)` and `stream.pipeline(…, it, …)` end it. */
  readonly isStream: boolean;
  /** The release that ends the socket's writable side gracefully (for `endIsRelease`). */
  readonly gracefulRelease?: string;
  /** Suggested release for messages. */
  readonly suggestedRelease: string;
  /** The release a `finally` block should call (it must work in any state). */
  readonly finallyRelease: string;
}

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

// After release, write() and end(data) fail; cork() and setEncoding() act on a stream that is gone. Socket options
// (setNoDelay, setKeepAlive) and uncork() are silently ignored, so they are not reported.
const STREAM_USES = set('write', 'cork', 'setEncoding');

export const NET_SOCKET: ResourceKind = {
  name: 'net.Socket',
  releases: set('end', 'destroy', 'destroySoon', 'resetAndDestroy'),
  destroys: set('destroy', 'resetAndDestroy'),
  uses: STREAM_USES,
  reopens: set('connect'),
  doubleReleaseThrows: false,
  errorDestroys: true,
  peerCanClose: true,
  disposable: true,
  isServer: false,
  isStream: true,
  gracefulRelease: 'end',
  suggestedRelease: 'end() or destroy()',
  finallyRelease: 'destroy',
};

export const TLS_SOCKET: ResourceKind = { ...NET_SOCKET, name: 'tls.TLSSocket', uses: set(...STREAM_USES, 'renegotiate') };

export const DGRAM_SOCKET: ResourceKind = {
  name: 'dgram.Socket',
  releases: set('close'),
  destroys: set('close'),
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
  doubleReleaseThrows: true,
  errorDestroys: false,
  peerCanClose: false,
  disposable: true,
  isServer: false,
  isStream: false,
  suggestedRelease: 'close()',
  finallyRelease: 'close',
};

export const NET_SERVER: ResourceKind = {
  name: 'net.Server',
  releases: set('close'),
  destroys: set('close'),
  // listen() after close() is legal and address() merely returns null: a closed server has no failing use.
  uses: set(),
  reopens: set('listen'),
  doubleReleaseThrows: false,
  errorDestroys: false,
  peerCanClose: false,
  disposable: true,
  isServer: true,
  isStream: false,
  suggestedRelease: 'close()',
  finallyRelease: 'close',
};

export const HTTP2_SESSION: ResourceKind = {
  name: 'http2.ClientHttp2Session',
  releases: set('close', 'destroy'),
  destroys: set('destroy'),
  uses: set('request', 'ping', 'settings', 'setLocalWindowSize'),
  reopens: set(),
  doubleReleaseThrows: false,
  errorDestroys: true,
  peerCanClose: true,
  disposable: false,
  isServer: false,
  isStream: false,
  gracefulRelease: 'close',
  suggestedRelease: 'close() or destroy()',
  finallyRelease: 'destroy',
};

export const WEB_SOCKET: ResourceKind = {
  name: 'WebSocket',
  releases: set('close', 'terminate'),
  destroys: set('terminate'),
  uses: set('send', 'ping', 'pong'),
  reopens: set(),
  doubleReleaseThrows: false,
  errorDestroys: true,
  peerCanClose: true,
  disposable: false,
  isServer: false,
  isStream: false,
  gracefulRelease: 'close',
  suggestedRelease: 'close() or terminate()',
  finallyRelease: 'terminate',
};

export const WEB_SOCKET_SERVER: ResourceKind = {
  name: 'WebSocketServer',
  releases: set('close'),
  destroys: set('close'),
  uses: set(),
  reopens: set(),
  doubleReleaseThrows: false,
  errorDestroys: false,
  peerCanClose: false,
  disposable: false,
  isServer: true,
  isStream: false,
  suggestedRelease: 'close()',
  finallyRelease: 'close',
};

export const ALL_KINDS: readonly ResourceKind[] = [
  NET_SOCKET,
  TLS_SOCKET,
  DGRAM_SOCKET,
  NET_SERVER,
  HTTP2_SESSION,
  WEB_SOCKET,
  WEB_SOCKET_SERVER,
];

/** Events whose listeners are told of a connection or request: a server with one serves for the process's life. */
export const SERVER_HANDLER_EVENTS = set(
  'connection',
  'request',
  'secureConnection',
  'upgrade',
  'stream',
  'session',
  'checkContinue',
  'connect',
);

export const LISTENER_METHODS = set('on', 'once', 'addListener', 'prependListener', 'prependOnceListener');
export const ONCE_LISTENER_METHODS = set('once', 'prependOnceListener');

function declarationFile(symbol: ts.Symbol): string {
  const decl = symbol.declarations?.[0];
  return decl ? decl.getSourceFile().fileName.replace(/\\/g, '/') : '';
}

function isFromNodeTypes(symbol: ts.Symbol): boolean {
  const file = declarationFile(symbol);
  return file.includes('/@types/node/') || file.includes('/typescript/lib/');
}

function isFromWsTypes(symbol: ts.Symbol): boolean {
  const file = declarationFile(symbol);
  return file.includes('/@types/ws/') || file.includes('/node_modules/ws/');
}

function kindOfSymbol(checker: ts.TypeChecker, symbol: ts.Symbol): ResourceKind | undefined {
  const fqn = checker.getFullyQualifiedName(symbol);
  switch (fqn) {
    case '"net".Socket':
      return isFromNodeTypes(symbol) ? NET_SOCKET : undefined;
    case '"tls".TLSSocket':
      return isFromNodeTypes(symbol) ? TLS_SOCKET : undefined;
    case '"dgram".Socket':
      return isFromNodeTypes(symbol) ? DGRAM_SOCKET : undefined;
    case '"net".Server':
      return isFromNodeTypes(symbol) ? NET_SERVER : undefined;
    case '"http2".ClientHttp2Session':
      return isFromNodeTypes(symbol) ? HTTP2_SESSION : undefined;
    case 'WebSocket':
      return isFromWsTypes(symbol) ? WEB_SOCKET : undefined;
    case 'WebSocket.Server':
    case 'WebSocket.WebSocketServer':
      return isFromWsTypes(symbol) ? WEB_SOCKET_SERVER : undefined;
    default:
      return undefined;
  }
}

/**
 * Classifies types as resource kinds, walking base classes (so subclasses and user wrappers that extend a socket
 * class count). One instance per TypeScript program; results are cached by type.
 */
export class Catalogue {
  private readonly cache = new Map<ts.Type, ResourceKind | null>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** The kind of a type, or undefined. Unions count when every non-nullish member is the same kind. */
  kindOf(type: ts.Type): ResourceKind | undefined {
    const cached = this.cache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.compute(type, 0) ?? null;
    this.cache.set(type, result);
    return result ?? undefined;
  }

  private compute(type: ts.Type, depth: number): ResourceKind | undefined {
    if (depth > 12) return undefined;
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return undefined;
    if (type.isUnion()) {
      let found: ResourceKind | undefined;
      for (const member of type.types) {
        if (member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
        const k = this.compute(member, depth + 1);
        if (!k) return undefined;
        if (found && found !== k) {
          // tls.TLSSocket | net.Socket: report as the common base.
          if ((found === TLS_SOCKET && k === NET_SOCKET) || (found === NET_SOCKET && k === TLS_SOCKET)) {
            found = NET_SOCKET;
            continue;
          }
          return undefined;
        }
        found = k;
      }
      return found;
    }
    if (type.isIntersection()) {
      for (const member of type.types) {
        const k = this.compute(member, depth + 1);
        if (k) return k;
      }
      return undefined;
    }
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    if (!symbol) return undefined;
    const direct = kindOfSymbol(this.checker, symbol);
    if (direct) return direct;
    // Walk base types of classes and interfaces.
    const target = (type as ts.TypeReference).target ?? type;
    if (target.isClassOrInterface()) {
      for (const base of this.checker.getBaseTypes(target)) {
        const k = this.compute(base, depth + 1);
        if (k) return k;
      }
    }
    return undefined;
  }
}
