// Typings the project writes for untyped packages: one hands out sockets, one does not.
declare module 'legacy-conn' {
  import { Socket } from 'node:net';
  export function open(port: number): Socket;
}
declare module 'legacy-util' {
  export function pad(s: string, n: number): string;
}
