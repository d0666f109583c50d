/**
 * no-use-after-close on a variable declared without type, initialiser or JSDoc (`let s;` then `s = net.connect()`,
 * common in JavaScript): its declared type is `any`, so it takes the kind of what is assigned to it, when every
 * assignment gives one and the same kind (null and undefined aside).
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterRelease, createRuleTester, lintJsWithPlugin, ts } from '../rule-tester';
import rule from '../../src/rules/no-use-after-close';

const after = afterRelease;

createRuleTester().run('no-use-after-close: untyped let', rule, {
  valid: [
    // Reassigned to a new socket before the use.
    ts`
      import * as net from 'node:net';
      export function f(): void {
        let s;
        s = net.connect(80, '127.0.0.1');
        s.end();
        s = net.connect(81, '127.0.0.1');
        s.write('x');
        s.end();
      }
    `,
    // Something of no kind is assigned too: the variable is not followed.
    ts`
      import * as net from 'node:net';
      export function f(text: string): void {
        let v;
        v = net.connect(80, '127.0.0.1');
        v.end();
        v = text;
        v.concat('x');
      }
    `,
    // A socket and a server are both assigned: two kinds, not followed.
    ts`
      import * as net from 'node:net';
      export function f(server: boolean): void {
        let r;
        if (server) r = net.createServer();
        else r = net.connect(80, '127.0.0.1');
        r.close();
        r.on('close', () => undefined);
      }
    `,
    // A declared type decides, as before: an annotation is not overridden by what is assigned.
    ts`
      import * as net from 'node:net';
      export function f(): void {
        let s: NodeJS.EventEmitter;
        s = net.connect(80, '127.0.0.1');
        s.emit('end');
        s.emit('x');
      }
    `,
  ],
  invalid: [
    {
      code: ts`
        import * as net from 'node:net';
        export function f(): void {
          let s;
          s = net.connect(80, '127.0.0.1');
          s.end();
          s.write('x');
        }
      `,
      errors: [after(6, 'write()', 'net.Socket', 'ended', 'end() at line 5')],
    },
    {
      // null and undefined do not count; assignments inside callbacks do (`t?.write()` after a null assignment
      // would be a guarded use, as for a typed variable).
      code: ts`
        import * as net from 'node:net';
        export function f(): void {
          let s = undefined as undefined;
          let t;
          t = null;
          const open = (): void => {
            t = net.connect(80, '127.0.0.1');
          };
          open();
          t.destroy();
          t.write('x');
          void s;
        }
      `,
      errors: [after(11, 'write()', 'net.Socket', 'destroyed', 'destroy() at line 10')],
    },
  ],
});

describe('untyped let in JavaScript', () => {
  it('follows the socket assigned to it', () => {
    const dir = path.join(__dirname, '..', 'fixtures-prescreen');
    const messages = lintJsWithPlugin(
      [
        "const net = require('node:net');",
        'function f() {',
        '  let socket;',
        "  socket = net.connect(80, '127.0.0.1');",
        "  socket.on('error', () => {});",
        '  socket.destroy();',
        "  socket.write('x');",
        '}',
        'module.exports = { f };',
      ].join('\n'),
      dir,
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line])).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 7]]);
  });
});
