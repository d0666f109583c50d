/**
 * Issue 6 item 3: what a CI lint step produces. Runs the `eslint` CLI with `@microsoft/eslint-formatter-sarif`
 * on a temporary copy of a small project that uses the BUILT plugin, and checks the SARIF log (rule ids,
 * help URIs = the rules' `meta.docs.url`, file and line of every result) and eslint's exit status.
 * Run `npm run build` first (npm run test:integration does).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXED_SOURCE,
  LEAKY_SOURCE,
  LEAK_COLUMN,
  LEAK_LINE,
  TSCONFIG,
  USE_AFTER_CLOSE_SOURCE,
  USE_COLUMN,
  USE_LINE,
  flatConfigMjs,
  makeTempDir,
  projectRoot,
  writeFiles,
} from './leaky-project';

const eslintBin = path.join(projectRoot, 'node_modules', '.bin', 'eslint');
const distEntry = path.join(projectRoot, 'dist', 'index.js');

interface SarifRule {
  id: string;
  helpUri?: string;
  shortDescription?: { text: string };
}
interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level?: string;
  message: { text: string };
  locations?: {
    physicalLocation: {
      artifactLocation: { uri: string; index?: number };
      region?: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
    };
  }[];
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; rules?: SarifRule[] } }; results: SarifResult[] }[];
}

function runEslint(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(eslintBin, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 32 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('eslint -f @microsoft/eslint-formatter-sarif', () => {
  let dir: string;
  let plugin: { rules: Record<string, { meta: { docs?: { url?: string } } }> };
  let sarif: SarifLog;
  let status: number | null;
  let stderr: string;

  const fileUri = (name: string): string => pathToFileURL(path.join(dir, name)).href;

  beforeAll(() => {
    expect(fs.existsSync(distEntry), `${distEntry} is missing: run npm run build`).toBe(true);
    plugin = require(distEntry) as typeof plugin;
    dir = makeTempDir('socket-close-sarif-');
    writeFiles(dir, {
      'tsconfig.json': JSON.stringify(TSCONFIG, null, 2),
      'src/leak.ts': LEAKY_SOURCE,
      'src/use-after-close.ts': USE_AFTER_CLOSE_SOURCE,
      'src/clean.ts': FIXED_SOURCE,
      'eslint.config.mjs': flatConfigMjs(pathToFileURL(distEntry).href, '@typescript-eslint/parser'),
    });
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

    const out = path.join(dir, 'eslint.sarif');
    const r = runEslint(dir, ['src', '-f', '@microsoft/eslint-formatter-sarif', '-o', out]);
    status = r.status;
    stderr = r.stderr;
    expect(fs.existsSync(out), `no SARIF written; eslint stderr:\n${r.stderr}\n${r.stdout}`).toBe(true);
    sarif = JSON.parse(fs.readFileSync(out, 'utf8')) as SarifLog;
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits with status 1 (lint errors) and no crash', () => {
    expect(stderr).toBe('');
    expect(status).toBe(1);
  });

  it('is a SARIF 2.1.0 log of one ESLint run', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.name).toBe('ESLint');
  });

  it('lists each reported rule with helpUri equal to its meta.docs.url', () => {
    const rules = sarif.runs[0].tool.driver.rules ?? [];
    for (const name of ['no-leak', 'no-use-after-close']) {
      const url = plugin.rules[name].meta.docs?.url;
      expect(url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      const entry = rules.find((r) => r.id === `socket-close/${name}`);
      expect(entry, JSON.stringify(rules)).toBeDefined();
      expect(entry!.helpUri).toBe(url);
    }
  });

  it('has exactly the expected results, at the right file, line and column', () => {
    const { results, tool } = sarif.runs[0];
    const rules = tool.driver.rules ?? [];
    const found = results.map((r) => {
      const loc = r.locations?.[0]?.physicalLocation;
      return {
        ruleId: r.ruleId,
        level: r.level,
        uri: loc?.artifactLocation.uri,
        line: loc?.region?.startLine,
        column: loc?.region?.startColumn,
        ruleIndexMatches: r.ruleIndex !== undefined && rules[r.ruleIndex]?.id === r.ruleId,
      };
    });
    expect(found).toEqual(
      expect.arrayContaining([
        {
          ruleId: 'socket-close/no-leak',
          level: 'error',
          uri: fileUri('src/leak.ts'),
          line: LEAK_LINE,
          column: LEAK_COLUMN,
          ruleIndexMatches: true,
        },
        {
          ruleId: 'socket-close/no-use-after-close',
          level: 'error',
          uri: fileUri('src/use-after-close.ts'),
          line: USE_LINE,
          column: USE_COLUMN,
          ruleIndexMatches: true,
        },
      ]),
    );
    // Nothing else: in particular nothing in the clean file and no parse/config errors (which have no ruleId).
    expect(found, JSON.stringify(results, null, 2)).toHaveLength(2);
  });

  it('exits with status 0 on a project without findings', () => {
    const r = runEslint(dir, ['src/clean.ts', '-f', '@microsoft/eslint-formatter-sarif']);
    expect(r.stderr).toBe('');
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(log.runs[0].results, r.stdout).toEqual([]);
    expect(r.status).toBe(0);
  });
});
