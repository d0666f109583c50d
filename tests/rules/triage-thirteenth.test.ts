/**
 * Shapes from the thirteenth hand triage (and leftovers of the twelfth): each false alarm or miss reduced to its
 * general mechanism, with the counterpart that must stay reported.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

describe('a local collection of sockets torn down by a helper', () => {
  const lineOf = (code: string, text: string): number => code.split('\n').findIndex((l) => l.includes(text)) + 1;
  /** The tunnel's report: at the socket's creation, naming the line of its `pipe()`. */
  const tunnelReport = (code: string): Array<[number, string]> => [
    [
      lineOf(code, 'new net.Socket()'),
      `This net.Socket is not released when 'local' fails or is destroyed (local.pipe() at line ${lineOf(code, 'local.pipe(')} ends it only when 'local' ends cleanly; or use stream.pipeline()): call end() or destroy() first, or hand it to an owner.`,
    ],
  ];
  // The shape of a tunnel that keeps its upstream sockets in a local array: the local socket's 'error' and 'close'
  // listeners destroy every socket of the array through local helpers.
  const tunnel = (opts: { decl: string; drop: string; all: string; teardown?: string }): string => ts`
    import * as net from 'node:net';
    export function startTunnel(local: net.Socket, ports: number[]): void {
      ${opts.decl}
      ${opts.drop}
      ${opts.all}
      local.once('error', () => {
        local.destroy();
        ${opts.teardown ?? 'closeAll();'}
      });
      local.once('close', () => ${opts.teardown?.replace(/;$/, '') ?? 'closeAll()'});
      for (const port of ports) {
        const upstream = new net.Socket();
        sockets.push(upstream);
        upstream.once('error', () => closeOne(upstream));
        upstream.once('close', () => closeOne(upstream));
        upstream.connect(port, '127.0.0.1', () => {
          local.pipe(upstream).pipe(local);
        });
      }
    }
  `;
  const constDecl = 'let sockets: net.Socket[] = [];';
  const dropFilter = 'const closeOne = (s: net.Socket) => { s.destroy(); sockets = sockets.filter((x) => x !== s); };';
  const dropSplice = 'const closeOne = (s: net.Socket) => { s.destroy(); sockets.splice(sockets.indexOf(s), 1); };';

  it('`sockets = sockets.filter(…)` keeps the array a collection of its own: iterating it releases', () => {
    expect(reports(tunnel({ decl: constDecl, drop: dropFilter, all: 'const closeAll = () => { for (const s of sockets) s.destroy(); };' }))).toEqual([]);
  });

  it.each([
    'const closeAll = () => { sockets.slice().forEach((s) => closeOne(s)); };',
    'const closeAll = () => { [...sockets].forEach((s) => closeOne(s)); };',
    'const closeAll = () => { for (const s of Array.from(sockets)) s.destroy(); };',
    'const closeAll = () => { sockets.slice(0).forEach(closeOne); };',
  ])('a whole copy iterated releases the elements: %s', (all) => {
    expect(reports(tunnel({ decl: constDecl, drop: dropSplice, all }))).toEqual([]);
  });

  it('helpers declared as `let` without a value and assigned once in the same block are those functions', () => {
    const code = tunnel({
      decl: 'let sockets: net.Socket[] = [];\n  let closeOne: (s: net.Socket) => void;\n  let closeAll: () => void;',
      drop: 'closeOne = (s: net.Socket) => { s.destroy(); sockets = sockets.filter((x) => x !== s); };',
      all: 'closeAll = () => { sockets.slice().forEach((s) => closeOne(s)); };',
    });
    expect(reports(code)).toEqual([]);
  });

  it.each([
    // A part of the array, or a mapped copy, is not the whole.
    'const closeAll = () => { sockets.slice(1).forEach((s) => closeOne(s)); };',
    'const closeAll = () => { sockets.map((s) => s.remotePort).forEach((p) => console.log(p)); };',
    // Emptying a copy empties nothing, releases nothing.
    'const closeAll = () => { sockets.slice().splice(0); };',
  ])('not a release of every element: %s (reported)', (all) => {
    const code = tunnel({ decl: constDecl, drop: dropSplice, all });
    expect(reports(code)).toEqual(tunnelReport(code));
  });

  it('a helper assigned in a branch, or twice, is not known: the tunnel stays reported', () => {
    const branch = tunnel({
      decl: 'let sockets: net.Socket[] = [];\n  let closeOne: (s: net.Socket) => void;\n  let closeAll: () => void = () => undefined;',
      drop: 'closeOne = (s: net.Socket) => { s.destroy(); };',
      all: 'if (ports.length > 1) closeAll = () => { for (const s of sockets) s.destroy(); };',
    });
    expect(reports(branch)).toEqual(tunnelReport(branch));
  });

  it('`sockets = other.filter(…)` gives the array another owner’s elements: no longer its own (reported)', () => {
    const code = tunnel({
      decl: 'let sockets: net.Socket[] = [];\n  const other: net.Socket[] = [];',
      drop: 'const closeOne = (s: net.Socket) => { s.destroy(); sockets = other.filter((x) => x !== s); };',
      all: 'const closeAll = () => { for (const s of sockets) s.destroy(); };',
    });
    expect(reports(code)).toEqual(tunnelReport(code));
  });
});

describe('a function that releases the socket, stored in a variable declared outside the function', () => {
  const PG_END = 'This pg Client is not released on the path that reaches the end of the function: call end() first, or hand it to an owner.';
  // node-red-contrib-postgresql's shape: the cursor's callback releases the client; the function reading the next
  // rows is kept in a module variable (called again by later messages).
  const reader = (store: string, call = 'getNextRows();'): string => ts`
    import { Client } from 'pg';
    let getNextRows: (() => void) | null = null;
    export async function onInput(cfg: object, query: string): Promise<void> {
      let client: Client | null = null;
      const handleDone = async () => {
        if (client) {
          await client.end();
          client = null;
        }
      };
      try {
        client = new Client(cfg);
        await client.connect();
        const cursor: any = client.query(query as any);
        const onRows = (err: Error | undefined, rows: unknown[]) => {
          if (err || rows.length < 10) void handleDone();
        };
        ${store}
        ${call}
      } catch {
        void handleDone();
      }
    }
  `;

  it('kept in a module variable: handed over (not reported)', () => {
    expect(reports(reader('getNextRows = () => { cursor.read(10, onRows); };'))).toEqual([]);
    expect(reports(reader('getNextRows = () => { cursor.read(10, onRows); };', ''))).toEqual([]);
  });

  it('kept in a local variable that is never called: reported', () => {
    expect(reports(reader('let local: (() => void) | null = null;\n    local = () => { cursor.read(10, onRows); };', ''))).toEqual([[12, PG_END]]);
  });

  it('a module variable given a function that does not release it: reported', () => {
    expect(reports(reader('getNextRows = () => { cursor.read(10, () => undefined); };', ''))).toEqual([[12, PG_END]]);
  });
});

describe('a settle in the catch block of a callback, after an awaited operation on the socket rejects', () => {
  const SSH = (at: number): string => `This ssh2 Client is not released when the operation settles at line ${at} (reject()) without it: call end() or destroy() first, or hand it to an owner.`;
  // eclipse-theia's remote SSH shape: the 'ready' listener probes the connection and settles in a catch block.
  const establish = (attempt: string, handler: string): string => ts`
    import { Client } from 'ssh2';
    async function probe(c: Client): Promise<void> {
      await new Promise<void>((resolve, reject) => c.exec('echo hello', (err) => (err ? reject(err) : resolve())));
    }
    declare function warmUp(): Promise<void>;
    export function establish(): Promise<Client> {
      return new Promise((resolve, reject) => {
        const c = new Client();
        c.on('ready', async () => {
          try {
            ${attempt}
            resolve(c);
          } catch (err) {
            ${handler}
          }
        }).on('error', (err) => reject(err)).connect({ host: '127.0.0.1', username: 'u' });
      });
    }
  `;

  it.each(['await probe(c);', "await new Promise<void>((ok, fail) => c.exec('true', (e) => (e ? fail(e) : ok())));"])(
    '`try { %s resolve(c) } catch (err) { reject(err) }`: reported at the reject',
    (attempt) => {
      expect(reports(establish(attempt, 'reject(err);'))).toEqual([[8, SSH(14)]]);
    },
  );

  it.each(['c.end();\n        reject(err);', 'reject(err);\n        c.destroy();'])('the catch block releases it: not reported (%s)', (handler) => {
    expect(reports(establish('await probe(c);', handler))).toEqual([]);
  });

  it('an awaited call that does not use the socket: not taken as its failure (not reported)', () => {
    expect(reports(establish('await warmUp();', 'reject(err);'))).toEqual([]);
  });

  it('the awaited operation itself releases it: nothing is open in the catch block (not reported)', () => {
    expect(reports(establish('await new Promise<void>((ok) => { c.end(); ok(); });', 'reject(err);'))).toEqual([]);
  });
});
