// A global the project declares: files that name it reach `net.Socket`.
declare global {
  function openShared(port: number): import('node:net').Socket;
  var sharedCounter: number;
}
export {};
