/**
 * amqplib, promise API (typings bundled since amqplib 1.2; `@types/amqplib` before): the connection that
 * `connect()` resolves to (`ChannelModel`, or `RecoveringChannelModel` with `recovery`) and the channels of
 * `createChannel()` / `createConfirmChannel()`. Facts read from amqplib 2.3.
 *
 * The callback API (`amqplib/callback_api`) has a connection of its own ({@link AMQPLIB_CALLBACK_CONNECTION}, the
 * `Connection` of that declaration file); its channels have the promise API's facts. Not bound: the interface named
 * `Connection` of the promise API, which is only the model's `serverProperties` holder.
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/**
 * `close()` closes the connection and every channel on it; creating a channel afterwards rejects
 * (IllegalOperationError "Connection closed"). A second `close()` rejects as well.
 */
export const AMQPLIB_CONNECTION: ResourceKind = libraryKind({
  name: 'amqplib connection',
  noun: 'connection',
  releases: set('close'),
  uses: set('createChannel', 'createConfirmChannel', 'updateSecret'),
  creates: set('createChannel', 'createConfirmChannel'),
  releasesCreated: set('createChannel', 'createConfirmChannel'),
  doubleReleaseThrows: true,
  // A server-initiated close or a connection error emits 'close' and leaves the connection unusable.
  peerCanClose: true,
  peerClosesWithError: true,
  finallyRelease: 'close',
});

/**
 * The callback API's connection: `connect(url, (err, conn) => …)` hands it to its callback, and
 * `conn.createChannel((err, ch) => …)` hands over each channel the same way. `close()` closes it and its channels.
 */
export const AMQPLIB_CALLBACK_CONNECTION: ResourceKind = libraryKind({
  name: 'amqplib connection',
  noun: 'connection',
  releases: set('close'),
  uses: set('createChannel', 'createConfirmChannel', 'updateSecret'),
  callbackFactories: new Map([['connect', { error: 0, resource: 1 }]]),
  callbackCreates: new Map([
    ['createChannel', { error: 0, resource: 1 }],
    ['createConfirmChannel', { error: 0, resource: 1 }],
  ]),
  releasesCreated: set('createChannel', 'createConfirmChannel'),
  peerCanClose: true,
  peerClosesWithError: true,
  finallyRelease: 'close',
});

/** A channel's requests that the broker answers (each rejects when the broker refuses it). */
const BROKER_REQUESTS = [
  'assertQueue',
  'checkQueue',
  'deleteQueue',
  'purgeQueue',
  'bindQueue',
  'unbindQueue',
  'assertExchange',
  'checkExchange',
  'deleteExchange',
  'bindExchange',
  'unbindExchange',
  'consume',
  'cancel',
  'get',
  'prefetch',
  'recover',
];

/**
 * A channel: `close()` closes it; every operation afterwards throws or rejects (IllegalOperationError "Channel
 * closed"), and so does a second `close()`. A channel error (a failed assertion, a bad ack) closes the channel.
 */
export const AMQPLIB_CHANNEL: ResourceKind = libraryKind({
  name: 'amqplib Channel',
  noun: 'channel',
  releases: set('close'),
  uses: set(...BROKER_REQUESTS, 'publish', 'sendToQueue', 'ack', 'ackAll', 'nack', 'nackAll', 'reject', 'waitForConfirms'),
  doubleReleaseThrows: true,
  // A consumer serves for the life of the process (and its connection with it).
  handlerMethods: set('consume'),
  // A request the broker refuses is a channel error: the broker closes the channel and the promise rejects.
  // Not waitForConfirms(): it rejects when a message was nacked, and the channel stays open.
  rejectionCloses: set(...BROKER_REQUESTS),
  errorEvent: { name: 'error', destroys: true },
  peerCanClose: true,
  peerClosesWithError: true,
  finallyRelease: 'close',
});
