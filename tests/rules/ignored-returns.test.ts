/**
 * no-leak: what a listener or timer callback returns goes nowhere. `client.on('connect', () => client.publish(t, m))`
 * returns the client from the arrow (publish() returns it), but the emitter drops that value: it is no hand-off.
 * A callback whose value is used (`.then(() => s)`) still hands the resource on.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

function leaks(code: string): Array<[number, string]> {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message]);
}

describe('no-leak: values returned where nobody reads them', () => {
  it('an MQTT client used by its connect listener and never ended', () => {
    expect(leaks(ts`
      import mqtt from 'mqtt';
      export function publishOnce(): void {
        const client = mqtt.connect('mqtt://127.0.0.1');
        client.on('connect', () => client.publish('t', 'x'));
      }
    `)).toEqual([[3, 'This MqttClient is not released on any path (nothing releases it or hands it off): call end() or endAsync() first, or hand it to an owner.']]);
  });

  it('a socket returned by a timer callback (setNoDelay() returns it)', () => {
    expect(leaks(ts`
      import * as net from 'node:net';
      export function later(): void {
        const s = net.connect(80, '127.0.0.1');
        setTimeout(function () {
          return s.setNoDelay(true);
        }, 10);
      }
    `)).toEqual([[3, 'This net.Socket is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.']]);
  });

  it('released in the callback, resolved, or handed down a promise chain: no report', () => {
    const valid = [
      ts`
        import mqtt from 'mqtt';
        export function publishOnce(): void {
          const client = mqtt.connect('mqtt://127.0.0.1');
          client.on('connect', () => client.publish('t', 'x', () => client.end()));
        }
      `,
      ts`
        import mqtt, { type MqttClient } from 'mqtt';
        export function open(): Promise<MqttClient> {
          return new Promise((resolve) => {
            const client = mqtt.connect('mqtt://127.0.0.1');
            client.once('connect', () => resolve(client));
          });
        }
      `,
      ts`
        import * as net from 'node:net';
        export function open(ready: Promise<void>): Promise<net.Socket> {
          const s = net.connect(80, '127.0.0.1');
          return ready.then(() => s.setNoDelay(true));
        }
      `,
    ];
    for (const code of valid) expect(leaks(code)).toEqual([]);
  });
});
