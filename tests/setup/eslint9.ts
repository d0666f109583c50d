/**
 * Setup file of vitest.eslint9.config.mts: makes Node's require('eslint') (and 'eslint/…') load the `eslint-v9`
 * devDependency. The config's `resolve.alias` only reaches modules vitest transforms (the tests and src/); the
 * RuleTester and typescript-eslint's utils are CommonJS packages that Node loads and that call require('eslint')
 * themselves. tests/eslint-version.test.ts checks that every path ends in ESLint 9.
 */
import Module from 'node:module';

interface ResolvingModule {
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
}

const resolver = Module as unknown as ResolvingModule & { socketCloseEslint9?: true };
if (!resolver.socketCloseEslint9) {
  const resolve = resolver._resolveFilename.bind(Module);
  resolver._resolveFilename = (request, parent, ...rest) =>
    resolve(/^eslint($|\/)/.test(request) ? request.replace(/^eslint/, 'eslint-v9') : request, parent, ...rest);
  resolver.socketCloseEslint9 = true;
}
