/**
 * no-leak: a resource that its owning function stores in `this.<field>` and then drops from that field itself
 * (another value stored, `this.channel = undefined` in a `catch` after a call that can throw) with nothing
 * released since: the object no longer holds it, and nothing else does.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

function leaks(code: string): Array<[number, string]> {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message]);
}

/** A class that stores a channel in `onConnect` (whose body is given, from line 6) and releases it in `close()`. */
function wrapper(body: string): string {
  return [
    "import type { Channel, ChannelModel } from 'amqplib';",
    'export class Wrapper {',
    '  private channel: Channel | undefined;',
    '  private old: Channel | undefined;',
    '  async onConnect(conn: ChannelModel, setup: () => Promise<void>, ok: boolean): Promise<void> {',
    ...ts(Object.assign([body], { raw: [body] }) as unknown as TemplateStringsArray).split('\n').map((l) => `    ${l}`),
    '  }',
    '  private async cleanup(): Promise<void> {',
    '    await this.channel?.close();',
    '  }',
    '  async close(): Promise<void> {',
    '    await this.channel?.close();',
    '    this.channel = undefined;',
    '  }',
    '}',
  ].join('\n');
}

describe('no-leak: a resource dropped from the field that holds it', () => {
  it('a catch that forgets the channel stored in the try (a call after the store can throw)', () => {
    expect(leaks(wrapper(`
      try {
        const channel = await conn.createChannel();
        this.channel = channel;
        await setup();
      } catch {
        this.channel = undefined;
      }
    `))).toEqual([[7, "This amqplib Channel is not released before 'this.channel' is cleared at line 11: call close() first, or hand it to an owner."]]);
  });

  it('a path that stores it and then clears the field', () => {
    expect(leaks(wrapper(`
      const channel = await conn.createChannel();
      this.channel = channel;
      if (!ok) {
        this.channel = undefined;
        return;
      }
      await setup();
    `))).toEqual([[6, "This amqplib Channel is not released before 'this.channel' is cleared at line 9: call close() first, or hand it to an owner."]]);
  });

  it('released, handed over, copied or not yet stored first: no report', () => {
    const valid = [
      // The catch closes it through the field first.
      `try {
        this.channel = await conn.createChannel();
        await setup();
      } catch {
        await this.channel?.close();
        this.channel = undefined;
      }`,
      // A method of the object runs first (it may release it).
      `try {
        this.channel = await conn.createChannel();
        await setup();
      } catch {
        await this.cleanup();
        this.channel = undefined;
      }`,
      // Something given the object runs first (it may release what the object holds).
      `try {
        this.channel = await conn.createChannel();
        await setup();
      } catch {
        await setup.call(this);
        this.channel = undefined;
      }`,
      // Nothing after the store can throw: the catch runs only when createChannel() failed.
      `try {
        const channel = await conn.createChannel();
        this.channel = channel;
      } catch {
        this.channel = undefined;
      }`,
      // Released through the local before the field is cleared.
      `const channel = await conn.createChannel();
      this.channel = channel;
      if (!ok) {
        await channel.close();
        this.channel = undefined;
        return;
      }
      await setup();`,
      // Another channel stored over it: the reconnect check's case (fieldOverwritten), not this one's.
      `const first = await conn.createChannel();
      this.channel = first;
      if (!ok) {
        const second = await conn.createChannel();
        this.channel = second;
      }`,
      // The field's value is kept elsewhere first.
      `const channel = await conn.createChannel();
      this.channel = channel;
      if (!ok) {
        this.old = this.channel;
        this.channel = undefined;
      }`,
    ];
    for (const body of valid) expect(leaks(wrapper(body))).toEqual([]);
  });
});
