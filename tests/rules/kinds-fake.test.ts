/**
 * The engine knows a resource only through its kind record. This table runs both rules over a test-only kind,
 * "FakeConn", declared through `settings['socket-close'].resources` with method and event names that no built-in
 * kind uses: if any socket fact were spelled in the engine instead of read from the kind, these cases would fail.
 */
import { describe, expect, it } from 'vitest';
import { createRuleTester, lintWithPlugin } from '../rule-tester';
import noLeak from '../../src/rules/no-leak';
import noUseAfterClose from '../../src/rules/no-use-after-close';

const CLASS = `
class FakeConn {
  isGone = false;
  hangUp(): void {}
  slam(): void {}
  transmit(_s: string): void {}
  async ask(): Promise<string> { return ''; }
  handshake(_cb: (err: Error | null) => void): void {}
  tune(): this { return this; }
  fork(): FakeConn { return new FakeConn(); }
  redial(): void {}
  on(_e: string, _f: () => void): this { return this; }
}
function dial(): FakeConn { return new FakeConn(); }
`;

const settings = {
  'socket-close': {
    resources: [
      {
        type: { from: 'file', name: 'FakeConn' },
        name: 'FakeConn',
        release: ['hangUp', 'slam'],
        destroy: ['slam'],
        uses: ['transmit'],
        reopen: ['redial'],
        returnsSelf: ['tune'],
        creates: ['fork'],
        closeEvents: ['gone'],
        deadProperties: ['isGone'],
      },
    ],
  },
};

const code = (body: string): string => `${CLASS}${body}\n`;
const LINE0 = CLASS.split('\n').length; // line of the first body line

createRuleTester().run('no-leak with a declared kind', noLeak, {
  valid: [
    { code: code('export function a(): void {\n  const c = dial();\n  c.transmit("x");\n  c.hangUp();\n}'), settings },
    { code: code('export function b(): void {\n  const c = dial();\n  try {\n    c.transmit("x");\n  } finally {\n    c.slam();\n  }\n}'), settings },
    // Handed off: returned.
    { code: code('export function c(): FakeConn {\n  const c = dial();\n  c.tune();\n  return c;\n}'), settings },
    // A listener for the kind's close event runs after the release: not a leak path of its own.
    { code: code('export function d(): void {\n  const c = dial();\n  c.on("gone", () => undefined);\n  c.hangUp();\n}'), settings },
    // Without the settings, FakeConn is nothing to the rules.
    code('export function e(): void {\n  const c = dial();\n  c.transmit("x");\n}'),
  ],
  invalid: [
    {
      code: code('export function f(n: number): void {\n  const c = dial();\n  if (n > 1) return;\n  c.hangUp();\n}'),
      settings,
      errors: [
        {
          messageId: 'leak',
          line: LINE0 + 1,
          data: { kind: 'FakeConn', detail: `on the path that returns at line ${LINE0 + 2}`, release: 'hangUp() or slam()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 'c', release: 'slam()' },
              output: code('export function f(n: number): void {\n  const c = dial();\n  try {\n    if (n > 1) return;\n    c.hangUp();\n  } finally {\n    c.slam();\n  }\n}'),
            },
          ],
        },
      ],
    },
    {
      // A method the kind declares as creating: fork() returns a new FakeConn that nobody releases.
      code: code('export function g(): void {\n  const c = dial();\n  const d = c.fork();\n  d.transmit("x");\n  c.hangUp();\n}'),
      settings,
      errors: [
        {
          messageId: 'leak',
          line: LINE0 + 2,
          data: { kind: 'FakeConn', detail: 'on any path (nothing releases it or hands it off)', release: 'hangUp() or slam()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 'd', release: 'slam()' },
              output: code('export function g(): void {\n  const c = dial();\n  const d = c.fork();\n  try {\n    d.transmit("x");\n    c.hangUp();\n  } finally {\n    d.slam();\n  }\n}'),
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('no-use-after-close with a declared kind', noUseAfterClose, {
  valid: [
    { code: code('export function a(c: FakeConn): void {\n  c.transmit("x");\n  c.hangUp();\n}'), settings },
    // The kind's reopening method makes it usable again.
    { code: code('export function b(c: FakeConn): void {\n  c.hangUp();\n  c.redial();\n  c.transmit("x");\n}'), settings },
    // The kind's dead property guards the use.
    { code: code('export function c(c: FakeConn): void {\n  c.hangUp();\n  if (!c.isGone) c.transmit("x");\n}'), settings },
    // tune() is not a use (returnsSelf), only transmit() is.
    { code: code('export function d(c: FakeConn): void {\n  c.hangUp();\n  c.tune();\n}'), settings },
  ],
  invalid: [
    {
      code: code('export function e(c: FakeConn): void {\n  c.hangUp();\n  c.transmit("x");\n}'),
      settings,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: LINE0 + 2,
          data: { kind: 'FakeConn', operation: 'transmit()', state: 'released', release: `hangUp() at line ${LINE0 + 1}` },
        },
      ],
    },
    {
      code: code('export function f(c: FakeConn): void {\n  c.slam();\n  c.transmit("x");\n}'),
      settings,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: LINE0 + 2,
          data: { kind: 'FakeConn', operation: 'transmit()', state: 'destroyed', release: `slam() at line ${LINE0 + 1}` },
        },
      ],
    },
    {
      // In a loop, the release reaches the use around the loop: the message says so.
      code: code('export function g(c: FakeConn, xs: string[]): void {\n  for (const x of xs) {\n    c.transmit(x);\n    c.hangUp();\n  }\n}'),
      settings,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: LINE0 + 2,
          data: { kind: 'FakeConn', operation: 'transmit()', state: 'released', release: `hangUp() at line ${LINE0 + 3}, in an earlier iteration` },
        },
      ],
    },
  ],
});

// releasesCreated: the creator's release releases what its `fork()` made, on the paths where it runs.
const withReleasesCreated = {
  'socket-close': { resources: [{ ...settings['socket-close'].resources[0], releasesCreated: ['fork'] }] },
};

describe('a declared kind whose release releases what it created (releasesCreated)', () => {
  it('a created one is another resource: releasing it does not release its creator', () => {
    const body = 'export function g2(n: number): void {\n  const c = dial();\n  const d = c.fork();\n  d.transmit("x");\n  if (n > 1) {\n    c.slam();\n    return;\n  }\n  d.hangUp();\n}';
    expect(lintWithPlugin(code(body), { rules: { 'no-leak': 'error' }, settings: withReleasesCreated }).map((m) => m.line - LINE0)).toEqual([1]);
    expect(lintWithPlugin(code(body), { rules: { 'no-leak': 'error' }, settings }).map((m) => m.line - LINE0)).toEqual([1, 2]);
  });

  const leaks = (body: string, withIt: boolean): string[] =>
    lintWithPlugin(code(body), { rules: { 'no-leak': 'error' }, settings: withIt ? withReleasesCreated : settings }).map((m) => `${m.line - LINE0}: ${m.message}`);

  it('the creator\'s release on the same variable releases the created one, on the paths where it runs', () => {
    const body = 'export function h(n: number): void {\n  const c = dial();\n  const d = c.fork();\n  d.transmit("x");\n  if (n > 1) return;\n  c.slam();\n}';
    expect(leaks(body, true)).toEqual([
      `1: This FakeConn is not released on the path that returns at line ${LINE0 + 4}: call hangUp() or slam() first, or hand it to an owner.`,
      `2: This FakeConn is not released on the path that returns at line ${LINE0 + 4}: call hangUp() or slam() first, or hand it to an owner.`,
    ]);
    // Without the property, the forked one is released by nothing.
    expect(leaks(body, false)).toEqual([
      `1: This FakeConn is not released on the path that returns at line ${LINE0 + 4}: call hangUp() or slam() first, or hand it to an owner.`,
      '2: This FakeConn is not released on any path (nothing releases it or hands it off): call hangUp() or slam() first, or hand it to an owner.',
    ]);
  });
});

// rejectionCloses: a failure of the listed operation leaves the resource closed, so leaving by its rejection leaks nothing.
describe('a declared kind whose failed operation closes it (rejectionCloses)', () => {
  const base = settings['socket-close'].resources[0];
  const withUses = { 'socket-close': { resources: [{ ...base, uses: ['transmit', 'ask'] }] } };
  const withCloses = { 'socket-close': { resources: [{ ...base, uses: ['transmit', 'ask'], rejectionCloses: ['ask'] }] } };
  const body = 'export async function r(): Promise<void> {\n  const c = dial();\n  await c.ask();\n  c.hangUp();\n}';
  const leaks = (s: Record<string, unknown>): string[] => lintWithPlugin(code(body), { rules: { 'no-leak': 'error' }, settings: s }).map((m) => `${m.line - LINE0}: ${m.message}`);

  it('an awaited use can reject while it is open: reported', () => {
    expect(leaks(withUses)).toEqual([`1: This FakeConn is not released when ask() at line ${LINE0 + 2} rejects: call hangUp() or slam() first, or hand it to an owner.`]);
  });

  it('the same operation listed in rejectionCloses: no report', () => {
    expect(leaks(withCloses)).toEqual([]);
  });

  it("the error branch of such an operation's error-first callback leaves it closed", () => {
    const cb = 'export function s(done: (e: Error | null) => void): void {\n  const c = dial();\n  c.handshake((err) => {\n    if (err) return done(err);\n    c.hangUp();\n    done(null);\n  });\n}';
    const found = (st: Record<string, unknown>): number[] => lintWithPlugin(code(cb), { rules: { 'no-leak': 'error' }, settings: st }).map((m) => m.line - LINE0);
    const handshake = (extra: Record<string, unknown>) => ({ 'socket-close': { resources: [{ ...base, uses: ['transmit', 'handshake'], ...extra }] } });
    expect(found(handshake({}))).toEqual([1]);
    expect(found(handshake({ rejectionCloses: ['handshake'] }))).toEqual([]);
  });
});

// usesThrow: a use after the release throws at once, so a `catch` around a deferred use takes the failure.
describe('a declared kind whose uses after release throw (usesThrow)', () => {
  const base = settings['socket-close'].resources[0];
  const body = (use: string): string =>
    `export function t(): void {\n  const c = dial();\n  setTimeout(() => {\n    ${use}\n  }, 10);\n  c.hangUp();\n}`;
  const found = (src: string, extra: Record<string, unknown>): Array<[number, string | undefined]> =>
    lintWithPlugin(code(body(src)), { rules: { 'no-use-after-close': 'error' }, settings: { 'socket-close': { resources: [{ ...base, ...extra }] } } }).map((m) => [m.line - LINE0, m.messageId]);
  const guarded = 'try {\n      c.transmit("x");\n    } catch {\n      // closed already\n    }';

  it('without it, a timer that uses the conn inside try/catch after hangUp() is reported', () => {
    expect(found(guarded, {})).toEqual([[4, 'deferredUse']]);
  });

  it('with it, the catch takes the failure: no report; without the try it is still reported', () => {
    expect(found(guarded, { usesThrow: true })).toEqual([]);
    expect(found('c.transmit("x");', { usesThrow: true })).toEqual([[3, 'deferredUse']]);
  });

  it('a value that is not a boolean is refused with a message naming the entry', () => {
    expect(() => found('c.transmit("x");', { usesThrow: 'yes' })).toThrow(/resources\[0\]\.usesThrow/);
  });
});
