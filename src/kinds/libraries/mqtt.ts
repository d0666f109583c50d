/**
 * MQTT.js (`mqtt`, typings bundled): the `MqttClient` of `connect()` / `connectAsync()`. Facts read from mqtt 5.16.
 */
import { set, type ResourceKind } from '../kind';
import { libraryKind } from './library-kind';

/**
 * `end()` / `endAsync()` disconnect the client; afterwards `publish()`, `subscribe()`, `unsubscribe()` and their
 * `…Async` forms fail ("client disconnecting"); `reconnect()` opens it again. `publish()`, `subscribe()`,
 * `unsubscribe()` and `end()` return the client. An 'error' does not end it, and neither does 'close' (it
 * reconnects); 'end' is emitted once `end()` has finished.
 */
export const MQTT_CLIENT: ResourceKind = libraryKind({
  reconnects: true,
  name: 'MqttClient',
  releases: set('end', 'endAsync'),
  uses: set('publish', 'publishAsync', 'subscribe', 'subscribeAsync', 'unsubscribe', 'unsubscribeAsync'),
  reopens: set('reconnect'),
  // A subscriber with a 'message' listener serves for the life of the process.
  serverHandlerEvents: set('message'),
  closeEvent: 'end',
  closedEvents: set('end'),
  // 'connect' is emitted on every (re)connection, never after end(), which stops reconnecting.
  creationCallbackEvent: 'connect',
  releaseCancelsConnection: true,
  guards: { deadProperties: set('disconnecting', 'disconnected'), aliveProperties: set('connected') },
  suggestedRelease: 'end() or endAsync()',
  finallyRelease: 'end',
});
