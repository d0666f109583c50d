// Typings the project writes for untyped packages: one hands out sockets, one does not.
declare module 'legacy-conn' {
  import { Socket } from 'node:net';
  export function open(port: number): Socket;
}
declare module 'legacy-util' {
  export function pad(s: string, n: number): string;
}
// A package entry that re-exports, by name, a function it imports (as MQTT.js's `export { connect }` does).
declare module 'named-reexport' {
  import connect from 'named-reexport/connect';
  export { connect };
}
declare module 'named-reexport/connect' {
  import { Socket } from 'node:net';
  function connect(port: number): Socket;
  export default connect;
}
