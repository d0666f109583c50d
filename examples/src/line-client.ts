import * as net from 'node:net';
import { once } from 'node:events';

export interface Endpoint {
  host: string;
  port: number;
}

/** A client for a newline-delimited request/response protocol (one reply line per request line). */
export class LineClient {
  private socket: net.Socket | undefined;
  private buffer = '';
  private readonly waiting: Array<(line: string) => void> = [];

  constructor(private readonly endpoint: Endpoint) {}

  async connect(): Promise<void> {
    const socket = net.connect(this.endpoint.port, this.endpoint.host);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    await once(socket, 'connect');
    this.socket = socket;
  }

  /** Called by the retry loop when the server went away. */
  reconnect(): void {
    // BUG (socket-close/no-leak): the previous connection may still be open; it is overwritten without
    // destroy(), so its file descriptor and listeners live on.
    this.socket = net.connect(this.endpoint.port, this.endpoint.host);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => this.onData(chunk));
  }

  request(line: string): Promise<string> {
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      return Promise.reject(new Error('not connected'));
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      socket.write(`${line}\n`);
    });
  }

  close(): void {
    this.socket?.end();
    this.socket = undefined;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.waiting.shift()?.(line);
      newline = this.buffer.indexOf('\n');
    }
  }
}

/** Sends a batch of lines and closes the connection. */
export async function sendLines(endpoint: Endpoint, lines: string[]): Promise<void> {
  const socket = net.connect(endpoint.port, endpoint.host);
  await once(socket, 'connect');
  if (lines.length === 0) {
    // BUG (socket-close/no-leak): early return after connecting; the socket is never ended.
    return;
  }
  for (const line of lines) {
    socket.write(`${line}\n`);
  }
  socket.end();
}

/** Sends one command, waits for the reply and says goodbye. */
export async function sendCommand(endpoint: Endpoint, command: string): Promise<string> {
  const socket = net.connect(endpoint.port, endpoint.host);
  try {
    await once(socket, 'connect');
    socket.setEncoding('utf8');
    socket.write(`${command}\n`);
    const [reply] = (await once(socket, 'data')) as [string];
    socket.end();
    // BUG (socket-close/no-use-after-close): end() already closed the writable side; this write fails
    // with ERR_STREAM_WRITE_AFTER_END (the QUIT should be passed to end() instead).
    socket.write('QUIT\n');
    return reply.trim();
  } finally {
    socket.destroy();
  }
}
