/**
 * try/finally exactly (issue 11, item 7): `break`/`continue` through a `finally` block, jumps out of a `finally`
 * block, and `try` statements nested in a `finally` block while a return or throw is pending. ESLint's code paths
 * send a `break`/`continue` straight to its target and do not model the other two; src/engine/flow.ts routes these
 * completions itself. Both rules, valid next to invalid, with labels, nested loops, a switch in a loop, async
 * functions and generators.
 */
import { createRuleTester, ts } from '../rule-tester';
import noLeak from '../../src/rules/no-leak';
import noUseAfterClose from '../../src/rules/no-use-after-close';

const ruleTester = createRuleTester();

ruleTester.run('no-leak (try-finally)', noLeak, {
  valid: [
    // break through a finally that releases
    ts`
      import * as net from 'node:net';
      export function probe(ports: number[]): void {
        for (const p of ports) {
          const s = net.connect(p, '127.0.0.1');
          try {
            if (p === 0) break;
            s.write('probe');
          } finally {
            s.destroy();
          }
        }
      }
    `,
    // continue through a finally that releases
    ts`
      import * as net from 'node:net';
      export function probe(ports: number[]): void {
        for (let i = 0; i < ports.length; i++) {
          const s = net.connect(ports[i], '127.0.0.1');
          try {
            if (ports[i] < 1024) continue;
            s.write('probe');
          } finally {
            s.end();
          }
        }
      }
    `,
    // labelled continue of the outer loop, through the finally of the inner loop's body
    ts`
      import * as net from 'node:net';
      export function grid(rows: number[][]): void {
        outer: for (const row of rows) {
          for (const p of row) {
            const s = net.connect(p, '127.0.0.1');
            try {
              if (p < 0) continue outer;
              if (p === 0) break outer;
              s.write('x');
            } finally {
              s.destroy();
            }
          }
        }
      }
    `,
    // break of a switch inside a loop, through a finally
    ts`
      import * as net from 'node:net';
      export function dispatch(codes: number[]): void {
        for (const code of codes) {
          const s = net.connect(80, '127.0.0.1');
          switch (code) {
            case 1:
              try {
                s.write('one');
                break;
              } finally {
                s.end();
              }
            default:
              s.destroy();
          }
        }
      }
    `,
    // async function: awaits and a break through the finally
    ts`
      import * as net from 'node:net';
      export async function poll(ports: number[], tick: () => Promise<boolean>): Promise<void> {
        while (ports.length > 0) {
          const s = net.connect(ports.pop()!, '127.0.0.1');
          try {
            if (await tick()) break;
            s.write('tick');
          } finally {
            s.destroy();
          }
        }
      }
    `,
    // generator: a yield in the try block and a break through the finally
    ts`
      import * as net from 'node:net';
      export function* session(ports: number[]): Generator<number, void, boolean> {
        for (const p of ports) {
          const s = net.connect(p, '127.0.0.1');
          try {
            const stop: boolean = yield p;
            if (stop) break;
          } finally {
            s.destroy();
          }
        }
      }
    `,
    // a continue out of a finally cancels the pending return: the release after the loop runs
    ts`
      import * as net from 'node:net';
      export function retry(more: () => boolean): void {
        const s = net.connect(80, '127.0.0.1');
        while (more()) {
          try {
            s.write('x');
            return;
          } finally {
            continue;
          }
        }
        s.destroy();
      }
    `,
    // a try/catch nested in a finally on the return path, releasing on both branches
    ts`
      import * as net from 'node:net';
      export function close(flag: boolean): void {
        const s = net.connect(80, '127.0.0.1');
        try {
          if (flag) return;
          s.write('x');
        } finally {
          try {
            s.end();
          } catch {
            s.destroy();
          }
        }
      }
    `,
  ],
  invalid: [
    // break through a finally that releases on one branch only
    {
      code: ts`
        import * as net from 'node:net';
        export function probe(ports: number[]): void {
          for (const p of ports) {
            const s = net.connect(p, '127.0.0.1');
            try {
              if (p === 0) break;
              s.write('probe');
            } finally {
              if (p > 1) s.destroy();
            }
          }
        }
      `,
      errors: [{ messageId: 'leak', line: 4, column: 15, data: { kind: 'net.Socket', detail: 'before the loop creates the next one', release: 'end() or destroy()' } }],
    },
    // a try/catch nested in a finally on the return path, releasing on one branch only
    {
      code: ts`
        import * as net from 'node:net';
        export function close(flag: boolean, polite: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          try {
            if (flag) return;
            s.write('x');
          } finally {
            try {
              s.write('bye');
            } catch {
              s.destroy();
            }
            if (polite) s.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 5', release: 'end() or destroy()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 's', release: 'destroy()' },
              output: ts`
                import * as net from 'node:net';
                export function close(flag: boolean, polite: boolean): void {
                  const s = net.connect(80, '127.0.0.1');
                  try {
                    try {
                      if (flag) return;
                      s.write('x');
                    } finally {
                      try {
                        s.write('bye');
                      } catch {
                        s.destroy();
                      }
                      if (polite) s.end();
                    }
                  } finally {
                    s.destroy();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // a labelled break in a finally block that does not fire on the throw path: the throw leaves s open
    {
      code: ts`
        import * as net from 'node:net';
        export function run(jobs: string[]): void {
          const s = net.connect(80, '127.0.0.1');
          loop: for (const job of jobs) {
            try {
              if (job === '') throw new Error('empty');
              s.write(job);
            } finally {
              if (job === 'stop') break loop;
            }
          }
          if (jobs.length > 0) s.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that throws at line 6', release: 'end() or destroy()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 's', release: 'destroy()' },
              output: ts`
                import * as net from 'node:net';
                export function run(jobs: string[]): void {
                  const s = net.connect(80, '127.0.0.1');
                  try {
                    loop: for (const job of jobs) {
                      try {
                        if (job === '') throw new Error('empty');
                        s.write(job);
                      } finally {
                        if (job === 'stop') break loop;
                      }
                    }
                    if (jobs.length > 0) s.end();
                  } finally {
                    s.destroy();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

ruleTester.run('no-use-after-close (try-finally)', noUseAfterClose, {
  valid: [
    // the finally releases on the break path, the write after the loop is guarded by a fresh socket
    ts`
      import * as net from 'node:net';
      export function once(ports: number[]): void {
        for (const p of ports) {
          const s = net.connect(p, '127.0.0.1');
          try {
            if (p === 0) continue;
            s.write('first');
          } finally {
            s.end();
          }
        }
      }
    `,
    // a write in the try block before the break: the release in the finally comes after it
    ts`
      import * as net from 'node:net';
      export function send(items: string[]): void {
        const s = net.connect(80, '127.0.0.1');
        for (const item of items) {
          try {
            s.write(item);
            if (item === 'end') break;
          } finally {
            s.write('\n');
          }
        }
        s.end();
      }
    `,
  ],
  invalid: [
    // break through a finally that ends the socket: the write after the loop follows end()
    {
      code: ts`
        import * as net from 'node:net';
        export function drain(items: string[]): void {
          const s = net.connect(80, '127.0.0.1');
          for (const item of items) {
            try {
              if (item === 'stop') break;
            } finally {
              s.end();
            }
          }
          s.write('bye');
        }
      `,
      errors: [{ messageId: 'useAfterRelease', line: 11, column: 3, data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 8' } }],
    },
    // a continue in a finally cancels the pending return: the loop goes on, and the write after it follows end()
    {
      code: ts`
        import * as net from 'node:net';
        export function once(more: () => boolean): void {
          const s = net.connect(80, '127.0.0.1');
          while (more()) {
            try {
              return;
            } finally {
              s.end();
              continue;
            }
          }
          s.write('x');
        }
      `,
      errors: [{ messageId: 'useAfterRelease', line: 12, column: 3, data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 8' } }],
    },
    // a try/finally nested in a finally on the return path: the code after it runs, after destroy()
    {
      code: ts`
        import * as net from 'node:net';
        export function stop(flag: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          try {
            if (flag) return;
          } finally {
            try {
              s.destroy();
            } finally {
              s.unref();
            }
            s.write('x');
          }
        }
      `,
      errors: [{ messageId: 'useAfterRelease', line: 12, column: 5, data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 8' } }],
    },
    // async, labelled continue through a finally that ends the socket, in nested loops
    {
      code: ts`
        import * as net from 'node:net';
        export async function each(rows: string[][], wait: () => Promise<void>): Promise<void> {
          const s = net.connect(80, '127.0.0.1');
          rows: for (const row of rows) {
            for (const cell of row) {
              try {
                await wait();
                if (cell === '') continue rows;
              } finally {
                s.end();
              }
            }
          }
          s.write('done');
        }
      `,
      errors: [{ messageId: 'useAfterRelease', line: 14, column: 3, data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 10' } }],
    },
    // a switch inside a loop: its break passes the finally that destroys the socket
    {
      code: ts`
        import * as net from 'node:net';
        export function pick(codes: number[]): void {
          const s = net.connect(80, '127.0.0.1');
          for (const code of codes) {
            switch (code) {
              case 0:
                try {
                  break;
                } finally {
                  s.destroy();
                }
              default:
                s.write('more');
            }
          }
        }
      `,
      errors: [{ messageId: 'useAfterRelease', line: 13, column: 9, data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 10' } }],
    },
    // a generator: a break through the finally after a yield
    {
      code: ts`
        import * as net from 'node:net';
        export function* lines(ports: number[]): Generator<number, void, boolean> {
          const s = net.connect(80, '127.0.0.1');
          for (const p of ports) {
            try {
              if (yield p) break;
            } finally {
              s.end();
            }
          }
          s.write('bye');
        }
      `,
      errors: [{ messageId: 'useAfterRelease', line: 11, column: 3, data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 8' } }],
    },
  ],
});
