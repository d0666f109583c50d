/** The built-in kinds and the types they are bound to. */
import type { ResourceKind } from './kind';
import { DGRAM_SOCKET, HTTP2_SESSION, HTTP_CLIENT_REQUEST, NET_SERVER, NET_SOCKET, TLS_SOCKET } from './node';
import type { KindBinding, TypeSource } from './registry';
import { WEB_SOCKET, WEB_SOCKET_SERVER, WHATWG_WEB_SOCKET } from './ws';
import { AMQPLIB_CALLBACK_CONNECTION, AMQPLIB_CHANNEL, AMQPLIB_CONNECTION } from './libraries/amqplib';
import { IOREDIS_CLIENT, IOREDIS_CLUSTER } from './libraries/ioredis';
import { MONGO_CLIENT, MONGO_CLIENT_SESSION } from './libraries/mongodb';
import { MQTT_CLIENT } from './libraries/mqtt';
import { MYSQL2_CONNECTION, MYSQL2_POOL, MYSQL2_POOL_CLUSTER, MYSQL2_POOL_CONNECTION } from './libraries/mysql2';
import { PG_CLIENT, PG_POOL, PG_POOL_CLIENT } from './libraries/pg';
import { POSTGRES_RESERVED_SQL, POSTGRES_SQL } from './libraries/postgres';
import { REDIS_CLIENT, REDIS_CLIENT_POOL, REDIS_CLUSTER, REDIS_SENTINEL } from './libraries/redis';
import { SSH2_CLIENT } from './libraries/ssh2';
import { UNDICI_AGENT, UNDICI_CLIENT, UNDICI_POOL } from './libraries/undici';

function bind(kind: ResourceKind, source: TypeSource, names: string[], base?: ResourceKind): KindBinding {
  return { kind, names: new Set(names), qualified: true, source, base };
}

/**
 * A class or interface of an npm package, by its plain name: the fully qualified name of a package's symbol
 * contains the path of its declaration file. `inPackage` accepts the package's own typings and its `@types`.
 */
function bindPackage(kind: ResourceKind, pkg: string, names: string[], base?: ResourceKind): KindBinding {
  return { kind, names: new Set(names), qualified: false, source: { package: pkg }, base };
}

export const BUILT_IN_BINDINGS: readonly KindBinding[] = [
  // @types/node 25+ declares `module "node:net"` first (and `net` as its alias), older versions the other way round.
  bind(NET_SOCKET, 'node', ['"net".Socket', '"node:net".Socket']),
  bind(TLS_SOCKET, 'node', ['"tls".TLSSocket', '"node:tls".TLSSocket'], NET_SOCKET),
  bind(DGRAM_SOCKET, 'node', ['"dgram".Socket', '"node:dgram".Socket']),
  bind(NET_SERVER, 'node', ['"net".Server', '"node:net".Server']),
  bind(HTTP2_SESSION, 'node', ['"http2".ClientHttp2Session', '"node:http2".ClientHttp2Session']),
  bind(HTTP_CLIENT_REQUEST, 'node', ['"http".ClientRequest', '"node:http".ClientRequest']),
  bind(WEB_SOCKET, 'ws', ['WebSocket']),
  // index.d.ts (CommonJS) declares the server in the `WebSocket` namespace; index.d.mts (what an ES module's import
  // resolves to) declares it as a top-level class `Server`, exported as `WebSocketServer`.
  bind(WEB_SOCKET_SERVER, 'ws', ['WebSocket.Server', 'WebSocket.WebSocketServer', 'Server']),
  // The WHATWG WebSocket: the DOM's (TypeScript's lib), Node's global one (undici's, typed by undici-types), undici's.
  bind(WHATWG_WEB_SOCKET, 'lib', ['WebSocket']),
  bindPackage(WHATWG_WEB_SOCKET, 'undici-types', ['WebSocket']),
  bindPackage(WHATWG_WEB_SOCKET, 'undici', ['WebSocket']),
  // Client libraries. A symbol is matched by its own name before its base classes are walked, so a subclass
  // bound here (pg `PoolClient` extends `Client`, the mysql2/promise `Pool` extends `Connection`) gets its own kind.
  bindPackage(PG_POOL_CLIENT, 'pg', ['PoolClient']),
  bindPackage(PG_POOL, 'pg', ['Pool']),
  bindPackage(PG_CLIENT, 'pg', ['Client']),
  // postgres.js: a reserved connection's type extends the pool's `Sql` (a transaction's `TransactionSql` does not).
  bindPackage(POSTGRES_RESERVED_SQL, 'postgres', ['ReservedSql']),
  bindPackage(POSTGRES_SQL, 'postgres', ['Sql']),
  bindPackage(MYSQL2_POOL_CONNECTION, 'mysql2', ['PoolConnection']),
  bindPackage(MYSQL2_POOL, 'mysql2', ['Pool']),
  bindPackage(MYSQL2_POOL_CLUSTER, 'mysql2', ['PoolCluster']),
  bindPackage(MYSQL2_CONNECTION, 'mysql2', ['Connection']),
  // A cluster client has the single-node client's facts: `Redis | Cluster` (a factory for either) is reported as the latter.
  bindPackage(IOREDIS_CLUSTER, 'ioredis', ['Cluster'], IOREDIS_CLIENT),
  bindPackage(IOREDIS_CLIENT, 'ioredis', ['Redis']),
  bindPackage(REDIS_CLIENT_POOL, '@redis/client', ['RedisClientPool']),
  bindPackage(REDIS_CLUSTER, '@redis/client', ['RedisCluster'], REDIS_CLIENT),
  bindPackage(REDIS_SENTINEL, '@redis/client', ['RedisSentinel'], REDIS_CLIENT),
  bindPackage(REDIS_CLIENT, '@redis/client', ['RedisClient']),
  bindPackage(MQTT_CLIENT, 'mqtt', ['MqttClient']),
  bindPackage(SSH2_CLIENT, 'ssh2', ['Client']),
  bindPackage(AMQPLIB_CHANNEL, 'amqplib', ['Channel', 'ConfirmChannel']),
  bindPackage(AMQPLIB_CONNECTION, 'amqplib', ['ChannelModel', 'RecoveringChannelModel']),
  // `@types/amqplib` up to 0.10.5: `connect()` resolves to the promise API's `Connection`, which then declares
  // `createChannel()` (later typings keep that name for the model's holder of server properties: no connection).
  { kind: AMQPLIB_CONNECTION, names: new Set(['Connection']), qualified: false, source: { package: 'amqplib', file: 'index.d.ts' }, member: 'createChannel' },
  // The callback API's `Connection`.
  { kind: AMQPLIB_CALLBACK_CONNECTION, names: new Set(['Connection']), qualified: false, source: { package: 'amqplib', file: 'callback_api.d.ts' } },
  bindPackage(MONGO_CLIENT_SESSION, 'mongodb', ['ClientSession']),
  bindPackage(MONGO_CLIENT, 'mongodb', ['MongoClient']),
  bindPackage(UNDICI_POOL, 'undici', ['Pool', 'BalancedPool', 'RoundRobinPool']),
  bindPackage(UNDICI_AGENT, 'undici', ['Agent', 'ProxyAgent', 'EnvHttpProxyAgent']),
  bindPackage(UNDICI_CLIENT, 'undici', ['Client', 'H2CClient']),
];

/** Modules whose types the built-in kinds come from, and how a user gets those types when they do not resolve. */
export const TYPED_MODULES: ReadonlyMap<string, { readonly install: string; readonly typesEntry?: string }> = new Map([
  ...['net', 'tls', 'dgram', 'http', 'https', 'http2'].flatMap((m): Array<[string, { install: string; typesEntry?: string }]> => [
    [m, { install: '@types/node', typesEntry: 'node' }],
    [`node:${m}`, { install: '@types/node', typesEntry: 'node' }],
  ]),
  ['ws', { install: '@types/ws' }],
  // Client libraries without bundled typings (amqplib bundles them from 1.2 on; older ones need @types).
  ['pg', { install: '@types/pg' }],
  ['ssh2', { install: '@types/ssh2' }],
  ['amqplib', { install: '@types/amqplib' }],
]);
