import * as net from 'node:net';

export interface PortStatus {
  host: string;
  port: number;
  open: boolean;
  latencyMs?: number;
}

/** Resolves true when a TCP connection to host:port succeeds within timeoutMs. */
export function isPortOpen(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    // A net.Socket destroys itself after 'error': nothing to release here.
    socket.once('error', () => resolve(false));
  });
}

/** Like isPortOpen, but measures how long the handshake took. */
export function probe(host: string, port: number, timeoutMs = 2000): Promise<PortStatus> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.createConnection(port, host);
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.end();
      resolve({ host, port, open: true, latencyMs: Date.now() - started });
    });
    // BUG (socket-close/no-leak): the idle timeout only emits 'timeout'; the connection attempt stays
    // open (and keeps the event loop alive) because this listener never destroys the socket.
    socket.once('timeout', () => {
      resolve({ host, port, open: false });
    });
    socket.once('error', () => resolve({ host, port, open: false }));
  });
}

/** Opens a connection and hands it to the caller, or fails after `ms`. */
export function connectWithDeadline(host: string, port: number, ms: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // BUG (socket-close/no-leak): when the deadline timer fires the promise is rejected, but the
    // half-open socket is neither destroyed nor handed to anyone.
    const socket = net.connect(port, host);
    const timer = setTimeout(() => reject(new Error(`connect to ${host}:${port} timed out`)), ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Reads the first line a server sends after connecting (SMTP, FTP, SSH banners). */
export function readBanner(host: string, port: number): Promise<string> {
  const socket = net.connect(port, host);
  // BUG (socket-close/no-leak): setTimeout(ms) only arms a 'timeout' event; with no 'timeout'
  // listener a silent server keeps this socket open forever.
  socket.setTimeout(5000);
  socket.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    socket.once('data', (chunk: string) => {
      socket.end();
      resolve(chunk.split('\n')[0]?.trim() ?? '');
    });
    socket.once('error', reject);
  });
}

/** Checks many ports, a few at a time. */
export async function scan(host: string, ports: number[], concurrency = 8): Promise<PortStatus[]> {
  const results: PortStatus[] = [];
  for (let i = 0; i < ports.length; i += concurrency) {
    const batch = ports.slice(i, i + concurrency);
    results.push(...(await Promise.all(batch.map((port) => probe(host, port)))));
  }
  return results;
}
