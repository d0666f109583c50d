// A project factory: importing it reaches `net.Socket`.
import * as net from 'node:net';

export function dial(port: number): net.Socket {
  return net.connect(port, '127.0.0.1');
}
