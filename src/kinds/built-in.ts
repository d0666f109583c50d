/** The built-in kinds and the types they are bound to. */
import type { ResourceKind } from './kind';
import { DGRAM_SOCKET, HTTP2_SESSION, NET_SERVER, NET_SOCKET, TLS_SOCKET } from './node';
import type { KindBinding, TypeSource } from './registry';
import { WEB_SOCKET, WEB_SOCKET_SERVER } from './ws';

function bind(kind: ResourceKind, source: TypeSource, names: string[], base?: ResourceKind): KindBinding {
  return { kind, names: new Set(names), qualified: true, source, base };
}

export const BUILT_IN_BINDINGS: readonly KindBinding[] = [
  bind(NET_SOCKET, 'node', ['"net".Socket']),
  bind(TLS_SOCKET, 'node', ['"tls".TLSSocket'], NET_SOCKET),
  bind(DGRAM_SOCKET, 'node', ['"dgram".Socket']),
  bind(NET_SERVER, 'node', ['"net".Server']),
  bind(HTTP2_SESSION, 'node', ['"http2".ClientHttp2Session']),
  bind(WEB_SOCKET, 'ws', ['WebSocket']),
  bind(WEB_SOCKET_SERVER, 'ws', ['WebSocket.Server', 'WebSocket.WebSocketServer']),
];

/** Modules whose types the built-in kinds come from, and how a user gets those types when they do not resolve. */
export const TYPED_MODULES: ReadonlyMap<string, { readonly install: string; readonly typesEntry?: string }> = new Map([
  ...['net', 'tls', 'dgram', 'http', 'https', 'http2'].flatMap((m): Array<[string, { install: string; typesEntry?: string }]> => [
    [m, { install: '@types/node', typesEntry: 'node' }],
    [`node:${m}`, { install: '@types/node', typesEntry: 'node' }],
  ]),
  ['ws', { install: '@types/ws' }],
]);
