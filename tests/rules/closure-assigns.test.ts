/**
 * A local function whose body assigns a variable of an enclosing function (`const configure = (next) => { channel =
 * next; … }`) gives that variable a new value wherever it is called: a repeating listener that swaps the channel
 * through it, then closes the old one, closes a different channel each run.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-use-after-close');

const swapper = (configureBody: string): string => ts`
  import { EventEmitter } from 'node:events';
  import * as amqplib from 'amqplib';
  export async function listen(events: EventEmitter, getChannel: () => Promise<amqplib.Channel>, urgent: boolean): Promise<void> {
    let channel: amqplib.Channel | undefined;
    const configure = async (next: amqplib.Channel): Promise<void> => {
      ${configureBody}
      await next.prefetch(1);
    };
    events.on('connected', async () => {
      const oldChannel = channel;
      const newChannel = await getChannel();
      if (newChannel === channel) return;
      await configure(newChannel);
      await oldChannel?.close();
    });
    await configure(await getChannel());
  }
`;

describe('a helper that assigns the closure variable', () => {
  it('each run closes the channel the previous run stored: no report', () => {
    expect(reports(swapper('channel = next;'))).toEqual([]);
  });

  it('a helper that does not store the new channel: the next run closes the same one again, reported', () => {
    expect(reports(swapper('')).map(([line]) => line)).toEqual([14]);
  });

  it('a helper that stores it only on one branch: not every call gives a new value, reported', () => {
    expect(reports(swapper('if (urgent) channel = next;')).map(([line]) => line)).toEqual([14]);
  });
});
