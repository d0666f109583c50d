// A user-declared kind (bound in the test's settings); this file imports nothing.
export class Pipe {
  send(_s: string): void {}
  shut(): void {}
}
export function openPipe(): Pipe {
  return new Pipe();
}
