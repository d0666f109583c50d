/**
 * Kinds and declared types the engine reads from declarations instead of asking the type checker (issue 13:
 * a type alias or union in an annotation, an imported binding, a variable initialised with `new C()`). The suite
 * runs under SOCKET_CLOSE_STRICT, where every such cheap answer is compared with the checker's own and a
 * difference throws: each case below both pins the report and exercises that comparison.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from './rule-tester';

const dir = path.join(__dirname, 'fixtures-prescreen');
const lint = (code: string): Array<[string | null, string | undefined, number]> =>
  lintWithPlugin(code, { dir }).map((m) => [m.ruleId, m.messageId, m.line]);

describe('annotations decided without the checker', () => {
  it('a parameter annotated with a type alias of a socket', () => {
    expect(process.env.SOCKET_CLOSE_STRICT).toBeTruthy();
    expect(lint(ts`
      import type { Link } from './factory';
      export function f(s: Link): void {
        s.destroy();
        s.write('x');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 4]]);
  });

  it('a union with a nullish member, written out or through an alias', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      import type { MaybeLink } from './factory';
      export function f(a: Socket | undefined, b: MaybeLink | null): void {
        a?.destroy();
        a?.write('x');
        b?.end();
        b?.write('y');
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 5],
      ['socket-close/no-use-after-close', 'useAfterRelease', 7],
    ]);
  });

  it('a union with a member that is no socket is no socket (the declared type decides, not the narrowed one)', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      export function f(s: Socket | number): void {
        if (typeof s === 'number') return;
        s.destroy();
        s.write('x');
      }
    `)).toEqual([]);
  });

  it('an intersection has the kind of its one member with a kind; a type literal or an array has none', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      export function f(a: Socket & { tag: string }, b: { end(): void; write(x: string): void }, list: Socket[]): void {
        a.destroy();
        a.write('x');
        b.end();
        b.write('y');
        for (const s of list) {
          s.destroy();
          s.write('z');
        }
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 4],
      ['socket-close/no-use-after-close', 'useAfterRelease', 9],
    ]);
  });

  it('an intersection of two kinds, or with a type parameter, is asked of the checker', () => {
    expect(lint(ts`
      import type { Socket, Server } from 'node:net';
      export function f<T>(a: Socket & T, b: Socket & Server): void {
        a.destroy();
        a.write('x');
        b.destroy();
        b.write('y');
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 4],
      ['socket-close/no-use-after-close', 'useAfterRelease', 6],
    ]);
  });

  it('a generic alias is asked of the checker', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      type Maybe<T> = T | null;
      export function f(s: Maybe<Socket>): void {
        if (!s) return;
        s.destroy();
        s.write('x');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 6]]);
  });
});

describe('imported bindings', () => {
  it('functions, classes and namespaces are not sockets; an imported socket variable is', () => {
    expect(lint(ts`
      import { makeLink, Pipe, sharedLink } from './factory';
      import * as factory from './factory';
      export function f(): void {
        const p = new Pipe();
        p.send(typeof makeLink + typeof factory);
        sharedLink.destroy();
        sharedLink.write('x');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 7]]);
  });
});

describe('imported variables', () => {
  it('an annotated variable has its annotation\'s kind; an object or arrow function has none', () => {
    expect(lint(ts`
      import { describeLink, maybeShared, settings } from './factory';
      export function f(): void {
        maybeShared?.destroy();
        maybeShared?.write(describeLink(maybeShared) + String(settings.port));
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 4]]);
  });
});

describe('variables initialised with new', () => {
  it('a non-generic class instance: its kind and declared type', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = new net.Socket();
        s.connect(80, '127.0.0.1');
        s.destroy();
        s.write('x');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 6]]);
  });

  it('a generic collection of sockets is no socket itself; its elements still are', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      export function f(): void {
        const all = new Map<string, net.Socket>();
        const s = net.connect(80, '127.0.0.1');
        all.set('a', s);
        for (const [, each] of all) each.destroy();
      }
    `)).toEqual([]);
  });
});

describe('conditional initialisers decided by their branches', () => {
  it('a socket or null is a socket; a mix with a value of no kind is asked and is none', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      class Plain { n = 1; }
      export function f(ok: boolean): void {
        const s = ok ? new net.Socket() : null;
        s?.destroy();
        s?.write('x');
        const t = ok ? new net.Socket() : ok ? undefined : new Plain();
        t?.destroy();
        t?.write('y');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 6]]);
  });

  it('branches without a kind (classes, literals, null) give none; a branch that is a call is asked', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      class A { end(): void {} write(_x: string): void {} }
      class B { end(): void {} write(_x: string): void {} }
      export function f(which: number): void {
        const op = which === 1 ? new A() : which === 2 ? new B() : null;
        op?.end();
        op?.write('x');
        const s = which === 3 ? net.connect(80, '127.0.0.1') : null;
        s?.end();
        s?.write('y');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 10]]);
  });
});

describe('fields read through this', () => {
  it('a field annotated in the class body, instance and static side apart, and a parameter property', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      export class Pair {
        static conn = 0;
        conn: net.Socket | undefined;
        constructor(private readonly peer: net.Socket) {}
        stop(): void {
          this.conn?.destroy();
          this.conn?.write('x');
          this.peer.destroy();
          this.peer.write('y');
        }
        static count(): number {
          return this.conn + 1;
        }
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 8],
      ['socket-close/no-use-after-close', 'useAfterRelease', 10],
    ]);
  });

  it('a name that is also an accessor, or declared twice, is asked of the checker', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      export class Holder {
        #raw: net.Socket | undefined;
        get sock(): net.Socket | undefined { return this.#raw; }
        set sock(s: net.Socket | undefined) { this.#raw = s; }
        stop(): void {
          this.#raw?.destroy();
          this.#raw?.write('x');
        }
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 8]]);
  });
});

describe('methods of a value created by new, read on the class', () => {
  it('a generic class: a method declared to return a socket creates one, `this` and type parameters are resolved', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      import { EventEmitter } from 'node:events';
      class Dialer<T> extends EventEmitter {
        constructor(readonly tag: T) { super(); }
        dial(): net.Socket { return net.connect(80, '127.0.0.1'); }
        label(): T { return this.tag; }
        count(): number { return 1; }
        self(): this { return this; }
      }
      export function f(): number {
        const d = new Dialer<string>('a');
        const s = d.dial();
        s.write('x');
        const same = d.self();
        same.label();
        return d.count();
      }
    `)).toEqual([['socket-close/no-leak', 'leak', 12]]);
  });

  it('a generic socket class returning `this`, and a type parameter that is a socket', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      class Tagged<T> extends net.Socket {
        tag: T | undefined;
        tagged(t: T): this { this.tag = t; return this; }
      }
      class Box<T> {
        constructor(private readonly item: T) {}
        get(): T { return this.item; }
      }
      export function f(): void {
        const s = new Tagged<number>();
        const same = s.tagged(1);
        same.destroy();
        same.write('x');
        const box = new Box<net.Socket>(net.connect(80, '127.0.0.1'));
        const inner = box.get();
        inner.destroy();
        inner.write('y');
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 14],
      ['socket-close/no-use-after-close', 'useAfterRelease', 18],
    ]);
  });

  it('a constructor variable (`new Map()`): its element type comes from the checker', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      export function f(): void {
        const all = new Map<string, net.Socket>();
        const s = all.get('a');
        if (!all.has('a') || !s) return;
        s.destroy();
        s.write('x');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 7]]);
  });
});

describe('values that may be primitives', () => {
  it('a variable that may hold a string is no socket (its declared type is a union with string)', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      export function f(s: Socket, raw: boolean): void {
        const t = raw ? s : 'none';
        const u = s || 0;
        s.destroy();
        if (typeof t !== 'string') t.write('x');
        if (typeof u !== 'number') u.write('y');
      }
    `)).toEqual([]);
  });
});

describe('return types decided from declarations', () => {
  it('a factory declared to return a socket or undefined, or a promise of a socket, creates one', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      function maybeOpen(port: number): net.Socket | undefined {
        return port > 0 ? net.connect(port, '127.0.0.1') : undefined;
      }
      async function later(port: number): Promise<net.Socket> {
        return net.connect(port, '127.0.0.1');
      }
      export async function f(): Promise<void> {
        const a = maybeOpen(80);
        a?.write('x');
        const b = await later(80);
        b.write('y');
      }
    `)).toEqual([
      ['socket-close/no-leak', 'leak', 9],
      ['socket-close/no-leak', 'leak', 11],
    ]);
  });

  it('functions and methods decided by their declarations: overloads, not the implementation; interface methods', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      function open(port: number): net.Socket;
      function open(path: string): number;
      function open(target: number | string): net.Socket | number {
        return typeof target === 'number' ? net.connect(target, '127.0.0.1') : 0;
      }
      interface Dialer {
        dial(port: number): net.Socket;
        ping(): boolean;
      }
      export function f(d: Dialer): void {
        const a = open(80);
        a.write('x');
        const b = d.dial(81);
        b.write('y');
        if (d.ping()) console.log('up');
      }
    `)).toEqual([
      ['socket-close/no-leak', 'leak', 12],
      ['socket-close/no-leak', 'leak', 14],
    ]);
  });

  it('a method that returns only primitives is not a creation; a constructor still is', () => {
    const settings = { 'socket-close': { resources: [{ type: { from: 'file', name: 'Link' }, release: ['close'] }] } };
    const lintWith = (code: string): Array<[string | null, string | undefined, number]> =>
      lintWithPlugin(code, { dir, settings }).map((m) => [m.ruleId, m.messageId, m.line]);
    expect(lintWith(ts`
      import * as net from 'node:net';
      class Link {
        private readonly sock = net.connect(80, '127.0.0.1');
        isOpen() {
          return !this.sock.destroyed;
        }
        close(): void {
          this.sock.destroy();
        }
      }
      export function f(): boolean {
        const l = new Link();
        return l.isOpen();
      }
    `)).toEqual([['socket-close/no-leak', 'leak', 12]]);
  });

  it('a function returning only object or array literals, functions or null, or an async one called without await, creates nothing', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      function options() { return { port: 1 }; }
      function list() { return [1, 2]; }
      function handler() { return function named() { return 1; }; }
      function none() { if (Math.random() > 0.5) return null; return () => 2; }
      async function later() { return net.connect(1, '127.0.0.1'); }
      export async function f(): Promise<void> {
        options();
        list();
        handler();
        none();
        const pending = later();
        const s = await later();
        s.write('x');
        await pending.then((t) => t.destroy());
      }
    `)).toEqual([['socket-close/no-leak', 'leak', 13]]);
  });

  it('a function returning `a || b`, `a && b`, `a ?? b` or `c ? a : b` of primitives creates nothing; with a socket operand it still does', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      function known(a: string, b?: string) { return a.length > 1 || b === 'x'; }
      function pick(flag: boolean) { return flag ? 'a' : null; }
      function both(flag: boolean) { return flag && (1 > 0 || !flag); }
      function fallback(n: number) { return (n > 1 ? null : 2) ?? 0; }
      function open(flag: boolean) { return flag ? net.connect(1, '127.0.0.1') : null; }
      export function f(flag: boolean): void {
        known('a');
        pick(flag);
        both(flag);
        fallback(1);
        const s = open(flag);
        s?.write('x');
      }
    `)).toEqual([['socket-close/no-leak', 'leak', 12]]);
  });

  it('a called name is the one variable of that name, a global, or resolved through its scopes when several share it', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      function open() { return net.connect(1, '127.0.0.1'); }
      function dial() { return net.connect(2, '127.0.0.1'); }
      export function f(): void {
        const a = open();
        const t = setTimeout(() => undefined, 1);
        clearTimeout(t);
        a.write('x');
      }
      export function g(dial: () => number): number {
        const b = dial();
        return b + 1;
      }
      export function h(): void {
        const c = dial();
        c.write('y');
      }
    `)).toEqual([
      ['socket-close/no-leak', 'leak', 5],
      ['socket-close/no-leak', 'leak', 15],
    ]);
  });

  it('an unannotated parameter of a function declaration or method is any; a setter\'s takes its getter\'s type', () => {
    expect(lint(ts`
      import { Socket } from 'node:net';
      export function f(s) {
        s.destroy();
        s.write('x');
      }
      export class C {
        m(s) {
          s.destroy();
          s.write('x');
        }
        get link(): Socket {
          return new Socket();
        }
        set link(v) {
          v.destroy();
          v.write('z');
        }
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 16],
    ]);
  });

  it('a JSDoc-typed parameter of a JavaScript function keeps its type', () => {
    const messages = lintWithPlugin(
      [
        "/** @param {import('node:net').Socket} s */",
        'function f(s) {',
        '  s.destroy();',
        "  s.write('x');",
        '}',
        'function g(s) {',
        '  s.destroy();',
        "  s.write('x');",
        '}',
        'module.exports = { f, g };',
      ].join('\n'),
      { dir, file: 'script.js' },
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line])).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 4]]);
  });

  it('JSDoc tags that type nothing leave a JavaScript parameter `any`; a typed @param, @type or @satisfies types it', () => {
    // Under strict mode each cheap answer (no kind, from the tags' syntax) is compared with the checker's.
    const messages = lintWithPlugin(
      [
        '/**',
        ' * Sends a line.',
        ' * @param s the socket',
        ' * @returns {boolean} whether it was written',
        ' * @throws {Error} never',
        ' * @deprecated use send()',
        ' * @example f(sock)',
        ' */',
        'function f(s) {',
        '  s.destroy();',
        "  return s.write('x');",
        '}',
        '/**',
        " * @param {import('node:net').Socket} s",
        ' * @returns {boolean}',
        ' */',
        'function g(s) {',
        '  s.destroy();',
        "  return s.write('x');",
        '}',
        "/** @type {(s: import('node:net').Socket) => boolean} */",
        'function h(s) {',
        '  s.destroy();',
        "  return s.write('x');",
        '}',
        'class C {',
        '  /** @private @param s the socket */',
        '  m(s) {',
        '    s.destroy();',
        "    return s.write('x');",
        '  }',
        '}',
        'module.exports = { f, g, h, C };',
      ].join('\n'),
      { dir, file: 'script.js' },
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line])).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 19],
      ['socket-close/no-use-after-close', 'useAfterRelease', 24],
    ]);
  });

  it('a JSDoc tag in a TypeScript file gives no type (the parameter and the `let` stay `any`; the tags are not read)', () => {
    // Under strict mode the cheap answer (no kind, without looking at the tags) is compared with the checker's.
    expect(lint(ts`
      import * as net from 'node:net';
      /** @param {net.Socket} s */
      export function f(s) {
        s.destroy();
        s.write('x');
      }
      export function g(): void {
        /** @type {net.Socket} */
        let t;
        t = net.connect(80, '127.0.0.1');
        t.destroy();
        t.write('y');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 12]]);
  });

  it('global callees resolve alike in every file (the per-program cache of global names)', () => {
    const code = ts`
      export function f(): void {
        const s = new Promise<number>((resolve) => setTimeout(() => resolve(1), 1));
        void s;
        const t = new Map<string, number>();
        t.set('a', 1);
      }
    `;
    // The second lint answers the global names from the cache; SOCKET_CLOSE_STRICT compares each with the checker's.
    expect(lint(code)).toEqual([]);
    expect(lint(code)).toEqual([]);
  });

  it('`this` in a static method is the class, not an instance (one declared type per side)', () => {
    expect(lint(ts`
      import { Socket, connect } from 'node:net';
      export class Conn {
        private readonly sock = new Socket();
        ping(): void {
          this.sock.write('x');
          this.close();
        }
        close(): void {
          this.sock.destroy();
        }
        static open(): Socket {
          return connect(80, '127.0.0.1');
        }
        static probe(): void {
          const s = this.open();
          s.write('x');
        }
      }
    `)).toEqual([['socket-close/no-leak', 'leak', 15]]);
  });

  it('`new` of a namespace import of an `export =` class (esModuleInterop: not constructable) creates nothing', () => {
    // The import's symbol is flagged as the class, but the module object it stands for has no construct signature.
    expect(lintWithPlugin(ts`
      import * as WebSocket from 'ws';
      export function f(): void {
        const ws = new (WebSocket as any)('ws://127.0.0.1:1');
        ws.close();
        ws.send('x');
      }
      export function g(): void {
        // @ts-expect-error not constructable under esModuleInterop
        const ws = new WebSocket('ws://127.0.0.1:1');
        ws.close();
        ws.send('x');
      }
    `).map((m) => [m.ruleId, m.messageId, m.line])).toEqual([]);
  });

  it('an uninitialised let is any at its declaration: the socket assigned to it is followed from its creation', () => {
    expect(lint(ts`
      import { Socket } from 'node:net';
      export function f(): void {
        let s;
        s = new Socket();
        s.write('x');
        s.destroy();
        let t;
        t = new Socket();
        t.write('y');
      }
    `)).toEqual([['socket-close/no-leak', 'leak', 8]]);
  });
});


describe('element and base kinds read from declarations (issue 13, eighteenth pass)', () => {
  it('a for…of variable has the element kind of the annotated array, set or field it iterates', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      export class Hub {
        private readonly socks = new Set<Socket>();
        private readonly all: readonly Socket[] = [];
        closeAll(): void {
          for (const s of this.socks) {
            s.destroy();
            s.write('x');
          }
          for (const t of this.all) t.end();
        }
      }
      export function f(list: Socket[] | null, mixed: Array<Socket | number>): void {
        for (const s of list!) {
          s.destroy();
          s.write('y');
        }
        for (const m of mixed) if (typeof m !== 'number') m.destroy();
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 8],
      ['socket-close/no-use-after-close', 'useAfterRelease', 16],
    ]);
  });

  it('a for await…of variable: an asynchronous generator of sockets, or of buffers', () => {
    expect(lint(ts`
      import type { Socket } from 'node:net';
      export async function f(conns: AsyncIterable<Socket>, chunks: AsyncGenerator<Buffer, void, void>): Promise<void> {
        for await (const s of conns) {
          s.destroy();
          s.write('x');
        }
        for await (const c of chunks) console.log(c.length);
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 5]]);
  });

  it('bases named in heritage clauses: an interface extending a socket is one; Omit<…>, Error and a type literal are not', () => {
    expect(lint(ts`
      import * as net from 'node:net';
      interface Tagged extends net.Socket {
        tag: string;
      }
      interface Opts extends Omit<net.TcpNetConnectOpts, 'port'> {
        retries: number;
      }
      type Picked = Pick<net.TcpNetConnectOpts, 'host'>;
      type Literal = { sock: net.Socket };
      class Failure extends Error {}
      class Wrapped extends net.Socket {}
      export function f(c: Tagged, o: Opts, p: Picked, l: Literal, e: Failure, w: Wrapped): void {
        console.log(o.retries, p.host, l.sock, e.message);
        c.destroy();
        c.write('x');
        w.end();
        w.write('y');
      }
    `)).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 15],
      ['socket-close/no-use-after-close', 'useAfterRelease', 17],
    ]);
  });

  it("a library method on a 'new Map()' local is no creation; what it returns is still a socket", () => {
    expect(lint(ts`
      import * as net from 'node:net';
      const byId = new Map<string, net.Socket>();
      export function f(id: string): void {
        const s = byId.get(id);
        if (!s) return;
        s.destroy();
        s.write('x');
      }
      export function g(): void {
        const s = net.connect(1, '127.0.0.1');
        byId.set('a', s);
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 7]]);
  });
});

describe('JSDoc types of JavaScript parameters and variables, read from their type nodes', () => {
  const lintJs = (code: string): Array<[string | null, string | undefined, number]> =>
    lintJsWithPlugin(code, dir).map((m) => [m.ruleId, m.messageId, m.line]);

  it('@param with a class of a required module, nullable, optional and non-null forms; `*` and a function type are no socket', () => {
    expect(process.env.SOCKET_CLOSE_STRICT).toBeTruthy();
    expect(lintJs([
      "const net = require('node:net');",
      '/**',
      ' * @param {net.Socket} a',
      ' * @param {?net.Socket} b',
      ' * @param {net.Socket=} c',
      ' * @param {!net.Socket} d',
      ' * @param {*} e',
      ' * @param {function(string): void} f',
      ' */',
      'function use(a, b, c, d, e, f) {',
      '  a.destroy(); a.write("1");',
      '  if (b) { b.destroy(); b.write("2"); }',
      '  if (c) { c.end(); c.write("3"); }',
      '  d.destroy(); d.write("4");',
      '  e.destroy(); e.write("5");',
      '  f.destroy(); f.write("6");',
      '}',
      'module.exports = { use };',
    ].join('\n'))).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 11],
      ['socket-close/no-use-after-close', 'useAfterRelease', 12],
      ['socket-close/no-use-after-close', 'useAfterRelease', 13],
      ['socket-close/no-use-after-close', 'useAfterRelease', 14],
    ]);
  });

  it('a function assigned to a prototype, and a variable declared with @type', () => {
    expect(lintJs([
      "const net = require('node:net');",
      'function Conn() {}',
      '/** @param {net.Socket | null} sock */',
      'Conn.prototype.attach = function (sock) {',
      '  if (!sock) return;',
      '  sock.destroy();',
      "  sock.write('x');",
      '};',
      '/** @type {net.Socket} */',
      'let shared;',
      'function stop() {',
      '  shared.destroy();',
      "  shared.write('y');",
      '}',
      'module.exports = { Conn, stop };',
    ].join('\n'))).toEqual([
      ['socket-close/no-use-after-close', 'useAfterRelease', 7],
      ['socket-close/no-use-after-close', 'useAfterRelease', 13],
    ]);
  });

  it('a JSDoc type naming no socket, or a union with a string, is no socket', () => {
    expect(lintJs([
      "const net = require('node:net');",
      '/**',
      ' * @param {string | net.Socket} a',
      ' * @param {Object} b',
      ' * @param {Array<net.Socket>} c',
      ' */',
      'function use(a, b, c) {',
      "  if (typeof a !== 'string') { a.destroy(); a.write('1'); }",
      "  b.destroy(); b.write('2');",
      "  c[0].destroy(); c[0].write('3');",
      '}',
      'module.exports = { use };',
    ].join('\n'))).toEqual([]);
  });
});
