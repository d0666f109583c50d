// Lints the plugin's own sources (`npm run lint` = `eslint src`, part of `npm test`).
//
// typescript-eslint's `recommendedTypeChecked` rather than `recommended`: the engine lives on the type
// checker's `any`-typed corners (ts.Type, ts.Symbol, parserServices), and the type-checked rules
// (no-unsafe-*, no-floating-promises, no-unnecessary-type-assertion, restrict-template-expressions) are the
// ones that catch real mistakes there. It is not noisy on this code base: the placeholders pass cleanly.
// eslint-plugin-eslint-plugin checks the rule modules (meta, messages, schema, report calls).
// The demo project (examples/) is linted by the plugin itself in `npm run demo`; fixtures and
// benchmarks contain intentionally bad code.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import eslintPlugin from 'eslint-plugin-eslint-plugin';

export default defineConfig(
  globalIgnores(['dist/', 'bench/', 'examples/', 'tests/fixtures/', 'coverage/']),
  {
    files: ['src/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, eslintPlugin.configs.recommended],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
);
