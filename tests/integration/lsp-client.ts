/**
 * A minimal JSON-RPC 2.0 client with LSP "Content-Length" framing over a child process' stdio.
 * Just enough to drive vscode-eslint-language-server from a test: requests with bounded waits,
 * notifications, handlers for requests the server sends to the client, and waiting for notifications.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

type RequestHandler = (params: unknown) => unknown;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface NotificationWaiter {
  method: string;
  predicate: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every notification received from the server, in order (method + params). */
  readonly notifications: { method: string; params: unknown }[] = [];
  /** Every request received from the server, in order (method + params). */
  readonly serverRequests: { method: string; params: unknown }[] = [];
  /** Text written by the server to stderr and through window/logMessage, for failure messages. */
  readonly log: string[] = [];

  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly waiters = new Set<NotificationWaiter>();
  private exited = false;

  constructor(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
    this.process = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    this.process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => this.log.push(`[stderr] ${chunk.toString('utf8')}`));
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`language server exited (code ${String(code)}, signal ${String(signal)})\n${this.logTail()}`);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      this.pending.clear();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      this.waiters.clear();
    });
  }

  /** Registers the answer to a request the server sends to the client (e.g. workspace/configuration). */
  onRequest(method: string, handler: RequestHandler): void {
    this.handlers.set(method, handler);
  }

  request<T = unknown>(method: string, params: unknown, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`language server has exited; cannot send ${method}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the answer to ${method}\n${this.logTail()}`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /**
   * Resolves with the params of the first notification `method` (already received or still to come)
   * that satisfies `predicate`; rejects after `timeoutMs`.
   */
  waitForNotification<T = unknown>(
    method: string,
    predicate: (params: T) => boolean = () => true,
    timeoutMs = 60_000,
    since = 0,
  ): Promise<T> {
    const seen = this.notifications.slice(since).find((n) => n.method === method && predicate(n.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise<T>((resolve, reject) => {
      const waiter: NotificationWaiter = {
        method,
        predicate: predicate as (params: unknown) => boolean,
        resolve: resolve as (params: unknown) => void,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for notification ${method}\n${this.logTail()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends shutdown + exit, then kills the process if it is still alive after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, graceMs);
      this.notify('exit', null);
    } catch {
      // fall through to kill
    }
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (!this.exited) this.process.kill('SIGKILL');
        resolve();
      }, graceMs);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  logTail(lines = 40): string {
    return this.log.slice(-lines).join('\n');
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /content-length:\s*(\d+)/i.exec(header);
      if (!match) throw new Error(`LSP header without Content-Length: ${header}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      // A request from the server.
      this.serverRequests.push({ method: message.method, params: message.params });
      const handler = this.handlers.get(message.method);
      if (!handler) {
        this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `client: unhandled ${message.method}` } });
        this.log.push(`[client] unhandled server request ${message.method}`);
        return;
      }
      let result: unknown;
      try {
        result = handler(message.params);
      } catch (error) {
        this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: String(error) } });
        return;
      }
      this.send({ jsonrpc: '2.0', id: message.id, result: (result ?? null) as Json });
      return;
    }
    if (message.method !== undefined) {
      this.notifications.push({ method: message.method, params: message.params });
      if (message.method === 'window/logMessage' || message.method === 'window/showMessage') {
        this.log.push(`[${message.method}] ${(message.params as { message?: string }).message ?? ''}`);
      }
      for (const w of [...this.waiters]) {
        if (w.method === message.method && w.predicate(message.params)) {
          clearTimeout(w.timer);
          this.waiters.delete(w);
          w.resolve(message.params);
        }
      }
      return;
    }
    if (typeof message.id === 'number') {
      const p = this.pending.get(message.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(message.id);
      if (message.error) p.reject(new Error(`${p.method} failed: ${message.error.message}`));
      else p.resolve(message.result);
    }
  }
}
