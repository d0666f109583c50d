import * as dgram from 'node:dgram';

export interface Announcement {
  service: string;
  port: number;
}

export interface Target {
  host: string;
  port?: number;
}

const DISCOVERY_PORT = 41234;

function encode(announcement: Announcement): Buffer {
  return Buffer.from(JSON.stringify(announcement));
}

/** Sends one announcement datagram and closes the socket once it has been handed to the OS. */
export function announceOnce(announcement: Announcement, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.send(encode(announcement), DISCOVERY_PORT, host, (err) => {
      socket.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

/** Sends the announcement to every configured target. */
export function announceAll(announcement: Announcement, targets: Target[]): void {
  const payload = encode(announcement);
  for (const target of targets) {
    const socket = dgram.createSocket('udp4');
    if (target.port === undefined) {
      // BUG (socket-close/no-leak): skipping a target leaves the socket created for this iteration open.
      continue;
    }
    socket.send(payload, target.port, target.host, () => socket.close());
  }
}

/** Collects announcements heard on the discovery port for `windowMs` milliseconds. */
export function discover(windowMs = 1000): Promise<Announcement[]> {
  return new Promise((resolve) => {
    const heard: Announcement[] = [];
    // BUG (socket-close/no-leak): the listening socket is never closed; after the window it keeps the
    // port bound and the process alive.
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (msg) => {
      try {
        heard.push(JSON.parse(msg.toString('utf8')) as Announcement);
      } catch {
        // ignore datagrams that are not ours
      }
    });
    socket.bind(DISCOVERY_PORT);
    setTimeout(() => resolve(heard), windowMs);
  });
}

/** Re-announces a service periodically until stopped. */
export class Announcer {
  private socket: dgram.Socket | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly announcement: Announcement, private readonly host = '127.0.0.1') {}

  start(intervalMs = 5000): void {
    if (this.socket) return;
    this.socket = dgram.createSocket('udp4');
    const payload = encode(this.announcement);
    this.timer = setInterval(() => {
      this.socket?.send(payload, DISCOVERY_PORT, this.host);
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.socket?.close();
    this.socket = undefined;
  }
}
