/**
 * `const self = this` (and compiled code's `var _this = this`): a read of the alias is the `this` it was given, in
 * both rules — a field stored, released or used through `self.x` is the class's field `x`, also inside a nested
 * `function` whose own `this` is another object. An alias assigned again is an ordinary variable.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

const NEVER_RELEASED = "This net.Socket is stored in 'sock', but nothing in the class releases 'sock': add a method that calls end() or destroy().";

describe('a field stored through an alias of this', () => {
  const cls = (alias: string, store: string, release: string): string => ts`
    import * as net from 'node:net';
    export class Client {
      private sock?: net.Socket;
      open(port: number): void {
        ${alias}
        ${store}
      }
      ${release}
    }
  `;

  it('never released: reported as with this', () => {
    expect(reports(cls('const self = this;', "self.sock = net.connect(port, '127.0.0.1');", ''))).toEqual([[6, NEVER_RELEASED]]);
    expect(reports(cls('var _this = this;', "_this.sock = net.connect(port, '127.0.0.1');", ''))).toEqual([[6, NEVER_RELEASED]]);
  });

  it('released by another method through this: no report', () => {
    expect(reports(cls('const self = this;', "self.sock = net.connect(port, '127.0.0.1');", 'close(): void { this.sock?.destroy(); }'))).toEqual([]);
  });

  it('stored through this, released through an alias in a nested function: no report', () => {
    const release = "stop(): void { const that = this; setTimeout(function () { that.sock?.end(); }, 10); }";
    expect(reports(cls('', "this.sock = net.connect(port, '127.0.0.1');", release))).toEqual([]);
  });

  it('stored inside a nested function through the alias: the class field, reported when never released', () => {
    const store = "setImmediate(function () { self.sock = net.connect(port, '127.0.0.1'); });";
    expect(reports(cls('const self = this;', store, '')).map(([line]) => line)).toEqual([6]);
    expect(reports(cls('const self = this;', store, 'close(): void { this.sock?.destroy(); }'))).toEqual([]);
  });

  it('an alias given another object later is no alias: its member is that object\'s, not the class field', () => {
    const alias = 'let self: { sock?: net.Socket } = this; self = { sock: undefined };';
    // Stored into another object (which the rule does not follow): not the class's never-released field.
    expect(reports(cls(alias, "self.sock = net.connect(port, '127.0.0.1');", ''))).toEqual([]);
  });
});

describe('a use after release through an alias of this', () => {
  const code = (body: string): string => ts`
    import * as net from 'node:net';
    export class Client {
      private sock: net.Socket = net.connect(1, '127.0.0.1');
      run(): void {
        const self = this;
        ${body}
      }
      close(): void { this.sock.destroy(); }
    }
  `;

  it('end() then write() through self: reported', () => {
    expect(reports(code("self.sock.end(); self.sock.write('late');"))).toEqual([[6, "write() on the net.Socket that may already be ended (end() at line 6)."]]);
  });

  it('released through this, written through self in a later statement: reported', () => {
    expect(reports(code("this.sock.end(); self.sock.write('late');")).map(([line]) => line)).toEqual([6]);
  });

  it('written before the release: no report', () => {
    expect(reports(code("self.sock.write('early'); self.sock.end();"))).toEqual([]);
  });
});
