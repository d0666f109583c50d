/**
 * no-use-after-close through a variable that holds what a method declared to return `this` gave back
 * (`const same = s.setNoDelay(true)`): it is the same socket as the receiver, as a `const` alias is.
 */
import { afterRelease, createRuleTester, ts } from '../rule-tester';
import rule from '../../src/rules/no-use-after-close';

createRuleTester().run('no-use-after-close: aliases through methods returning this', rule, {
  valid: [
    // Used before the release through either name.
    ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = net.connect(80, '127.0.0.1');
        const same = s.setNoDelay(true).setKeepAlive(true);
        same.write('x');
        s.end();
      }
    `,
    // A method that does not return its receiver gives something else.
    ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = net.connect(80, '127.0.0.1');
        const address = s.address();
        s.end();
        console.log(address);
      }
    `,
    // A let that is reassigned is not an alias.
    ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = net.connect(80, '127.0.0.1');
        let other = s.setNoDelay(true);
        other = net.connect(81, '127.0.0.1');
        s.end();
        other.write('x');
        other.end();
      }
    `,
  ],
  invalid: [
    {
      code: ts`
        import * as net from 'node:net';
        export function f(): void {
          const s = net.connect(80, '127.0.0.1');
          const same = s.setNoDelay(true);
          s.end();
          same.write('x');
        }
      `,
      errors: [afterRelease(6, 'write()', 'net.Socket', 'ended', 'end() at line 5')],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(): void {
          const s = net.connect(80, '127.0.0.1');
          const same = s.setEncoding('utf8').setKeepAlive(true, 1000);
          same.destroy();
          s.write('x');
        }
      `,
      errors: [afterRelease(6, 'write()', 'net.Socket', 'destroyed', 'destroy() at line 5')],
    },
  ],
});
