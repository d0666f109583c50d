/**
 * A local collection keeps its sockets for the function only when it is the function's own: made there and handed
 * nowhere. A local name for a collection read out of a longer-lived one, or stored into one, holds its sockets for
 * that collection's owner.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

describe('collections of an outer owner under a local name', () => {
  it('read out of a module map, made and stored into it, or a class map: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      const byHost = new Map<string, net.Socket[]>();
      export function pooled(host: string, port: number): void {
        const list = byHost.get(host);
        list?.push(net.connect(port, host));
      }
      export function fresh(host: string, port: number): void {
        const list: net.Socket[] = [];
        byHost.set(host, list);
        list.push(net.connect(port, host));
      }
      export class Pool {
        private sockets = new Map<string, Set<net.Socket>>();
        add(host: string, port: number): void {
          const set = this.sockets.get(host) ?? new Set<net.Socket>();
          this.sockets.set(host, set);
          set.add(net.connect(port, host));
        }
        close(): void {
          for (const set of this.sockets.values()) for (const s of set) s.destroy();
          this.sockets.clear();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("the function's own collection, only looked at by Promise.all: its sockets are never released, reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export async function probeAll(ports: number[]): Promise<void> {
        const socks: net.Socket[] = [];
        for (const port of ports) socks.push(net.connect(port, '127.0.0.1'));
        await Promise.all(socks.map((s) => new Promise((resolve) => s.once('connect', resolve))));
        console.log(socks.length);
      }
    `;
    expect(reports(code)).toEqual([
      [4, "This net.Socket is not released on any path (it is kept in the local collection 'socks', which is never released): call end() or destroy() first, or hand it to an owner."],
    ]);
  });
});
