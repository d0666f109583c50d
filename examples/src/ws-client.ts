import { EventEmitter } from 'node:events';
import WebSocket from 'ws';

export interface Tick {
  symbol: string;
  price: number;
}

/** Fetches one snapshot message from a feed and disconnects. */
export function fetchSnapshot(url: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no snapshot from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('message', (data) => {
      clearTimeout(timer);
      ws.close(1000, 'done');
      resolve(JSON.parse(data.toString()));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    });
  });
}

/** Connects and authenticates; resolves with the open, authenticated connection. */
export function openAuthenticated(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // BUG (socket-close/no-leak): when the server refuses the token the promise is rejected but the
    // connection is left open.
    const ws = new WebSocket(url);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.once('message', (data) => {
      const reply = JSON.parse(data.toString()) as { ok: boolean; reason?: string };
      if (!reply.ok) {
        reject(new Error(`authentication refused: ${reply.reason ?? 'unknown'}`));
        return;
      }
      resolve(ws);
    });
    ws.once('error', (err) => {
      ws.terminate();
      reject(err);
    });
  });
}

/** A long-lived price feed subscription with a keep-alive ping. */
export class FeedClient extends EventEmitter {
  private ws: WebSocket | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly url: string, private readonly symbols: string[]) {
    super();
  }

  connect(): void {
    if (this.ws) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', symbols: this.symbols }));
      this.heartbeat = setInterval(() => {
        // BUG (socket-close/no-use-after-close): the interval is cleared in close() but not when the
        // server closes the connection ('close' below), so ping() then throws "WebSocket is not open".
        ws.ping();
      }, 15_000);
    });
    ws.on('message', (data) => this.emit('tick', JSON.parse(data.toString()) as Tick));
    ws.on('close', (code) => {
      this.ws = undefined;
      this.emit('disconnected', code);
    });
    ws.on('error', (err) => this.emit('error', err));
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.ws?.close(1000, 'client shutdown');
    this.ws = undefined;
  }
}
