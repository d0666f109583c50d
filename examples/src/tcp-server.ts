import * as net from 'node:net';

type Handler = (args: string[]) => string;

const commands: Record<string, Handler> = {
  PING: () => 'PONG',
  ECHO: (args) => args.join(' '),
  TIME: () => new Date().toISOString(),
};

function handleLine(line: string): string {
  const [name = '', ...args] = line.trim().split(/\s+/);
  const handler = commands[name.toUpperCase()];
  return handler ? handler(args) : `ERR unknown command ${name}`;
}

/**
 * Starts the line-protocol server. The server has a connection handler, so it serves for the life of the
 * process; the caller closes it through the returned handle.
 */
export function startServer(port: number, host = '127.0.0.1'): net.Server {
  const server = net.createServer((socket) => {
    let pending = '';
    socket.setEncoding('utf8');
    socket.setTimeout(30_000, () => {
      socket.end('ERR idle timeout\n');
    });
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim().toUpperCase() === 'QUIT') {
          socket.end('BYE\n');
          // BUG (socket-close/no-use-after-close): missing `return`: the remaining lines of this chunk
          // are still answered below, writing to a socket that was just ended.
        }
        socket.write(`${handleLine(line)}\n`);
      }
    });
    socket.on('error', (err) => {
      console.error(`client ${socket.remoteAddress ?? '?'}: ${err.message}`);
    });
  });
  server.listen(port, host);
  return server;
}

/** Asks the OS for a free port by binding port 0, then releases it. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    // BUG (socket-close/no-leak): on the early-return path in the listen callback the server keeps
    // listening on the port it was supposed to give back.
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      // Listening on a TCP port: address() gives an AddressInfo (never null or a pipe name here).
      const { port } = server.address() as net.AddressInfo;
      if (port < 1024) {
        reject(new Error(`got a privileged port: ${port}`));
        return;
      }
      server.close(() => resolve(port));
    });
  });
}

/** Stops accepting connections and waits for the server to close. */
export function stopServer(server: net.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
  });
}
