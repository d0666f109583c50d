/**
 * Shapes from the fifteenth hand triage (and leftovers of the fourteenth): each false alarm, miss or wrong message
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const reports = (code: string): Array<[number, string | undefined, string]> => lintWithPlugin(code).map((m) => [m.line, m.messageId, m.message]);

describe('a creating method whose promise is returned un-awaited hands the creator off with what it makes', () => {
  it('`return conn.createChannel()` in the async function that connected: leaks only when createChannel() rejects', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export async function channel(url: string) {
        const conn = await amqplib.connect(url);
        return conn.createChannel();
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('when createChannel() at line 4 rejects');
  });

  it('`.then((conn) => conn.createChannel())`: the same', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export function channel(url: string) {
        return amqplib.connect(url).then((conn) => conn.createChannel());
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('when createChannel() at line 3 rejects');
  });

  it('the same promise not returned (a statement): the connection is dropped on every path', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export async function channel(url: string): Promise<void> {
        const conn = await amqplib.connect(url);
        void conn.createChannel();
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('on any path');
  });

  it('returned from a nested function, not the owner: no hand-off of the connection', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export async function channel(url: string): Promise<() => unknown> {
        const conn = await amqplib.connect(url);
        return () => {
          return conn.createChannel();
        };
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([]);
  });

  it('a creating method whose made resource does not close with its creator (a pool connection): no hand-off', () => {
    const found = reports(ts`
      import mysql from 'mysql2/promise';
      export async function connection(uri: string) {
        const pool = mysql.createPool(uri);
        return pool.getConnection();
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
  });
});

describe('a creating method returned into a further continuation is no hand-off', () => {
  it('`.then((conn) => conn.createChannel()).then((ch) => …)` dropping the channel: on any path', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export function publish(url: string, q: string): Promise<boolean> {
        return amqplib
          .connect(url)
          .then((conn) => conn.createChannel())
          .then((ch) => ch.sendToQueue(q, Buffer.from('x')));
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('on any path');
  });
});
