/**
 * Clients that reconnect by themselves until released (a kind's `reconnects`: mqtt, ioredis, node-redis,
 * MongoClient). Created in a Promise executor, such a client leaks when the promise is settled — by a timer, an
 * 'error' listener — without releasing it: no later event is bound to end it. A net.Socket is different: its
 * 'error' destroys it.
 */
import noLeak from '../../src/rules/no-leak';
import { createRuleTester, ts } from '../rule-tester';

createRuleTester().run('no-leak: clients that reconnect', noLeak, {
  valid: [
    // Every settle releases first.
    ts`
      import mqtt from 'mqtt';
      export function publishOnce(url: string): Promise<void> {
        return new Promise((resolve, reject) => {
          const client = mqtt.connect(url);
          const timer = setTimeout(() => {
            client.end(true);
            reject(new Error('timeout'));
          }, 5000);
          client.on('connect', () => {
            clearTimeout(timer);
            client.publish('t', 'm', () => {
              client.end();
              resolve();
            });
          });
          client.on('error', (err) => {
            clearTimeout(timer);
            client.end(true);
            reject(err);
          });
        });
      }
    `,
    // A net.Socket: its 'error' destroys it, and a timer that rejects leaves a socket that the OS times out.
    ts`
      import * as net from 'node:net';
      export function probe(port: number): Promise<void> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          const timer = setTimeout(() => reject(new Error('timeout')), 5000);
          s.on('connect', () => {
            clearTimeout(timer);
            s.end();
            resolve();
          });
          s.on('error', reject);
        });
      }
    `,
  ],
  invalid: [
    {
      // The connect timeout gives up on the client, which keeps reconnecting.
      code: ts`
        import mqtt from 'mqtt';
        export function publishOnce(url: string): Promise<void> {
          return new Promise((resolve, reject) => {
            const client = mqtt.connect(url);
            const timer = setTimeout(() => reject(new Error('timeout')), 5000);
            client.on('connect', () => {
              clearTimeout(timer);
              client.publish('t', 'm', () => {
                client.end();
                resolve();
              });
            });
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: { kind: 'MqttClient', detail: 'when the operation settles at line 5 (reject()) without it', release: 'end() or endAsync()' },
          line: 4,
          column: 20,
        },
      ],
    },
    {
      // An ioredis 'error' does not end the client: rejecting on it abandons a client that keeps reconnecting.
      code: ts`
        import Redis from 'ioredis';
        export function read(): Promise<string | null> {
          return new Promise((resolve, reject) => {
            const redis = new Redis();
            redis.on('error', reject);
            redis.get('k').then((v) => {
              void redis.quit();
              resolve(v);
            });
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: { kind: 'ioredis client', detail: "when the operation settles through 'reject' (line 5) without it", release: 'quit() or disconnect()' },
          line: 4,
          column: 19,
        },
      ],
    },
  ],
});
