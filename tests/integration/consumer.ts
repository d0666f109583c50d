/**
 * A consumer project as a user has it: the `npm pack` tarball installed with npm (registry or warm cache) in a
 * fresh folder, and ESLint run from that folder's node_modules. Shared by pack.test.ts and first-run.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { makeTempDir, projectRoot } from './leaky-project';

export const INSTALL_TIMEOUT_MS = 200_000;
export const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The environment without what `npm run` injects about the parent package, so npm acts on the temp project. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^npm_config_(local_prefix|prefix|global)$/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

export function run(command: string, args: string[], cwd: string, timeout = INSTALL_TIMEOUT_MS) {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${command} ${args.join(' ')} failed to run: ${r.error.message}\n${r.stderr ?? ''}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface LintMessage {
  ruleId: string | null;
  messageId?: string;
  severity: number;
  line: number;
  column: number;
  message: string;
  fatal?: boolean;
}
export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
}

/** Packs the project (dist/ must be built) into a temp folder; returns the tarball and the packed file list. */
export function packTarball(): { packDir: string; tarball: string; files: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { main: string };
  expect(fs.existsSync(path.join(projectRoot, pkg.main)), `${pkg.main} is missing: run npm run build`).toBe(true);
  const packDir = makeTempDir('socket-close-pack-');
  const r = run(npmCommand, ['pack', '--json', '--pack-destination', packDir], projectRoot);
  expect(r.status, r.stderr).toBe(0);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(packDir, info!.filename);
  expect(fs.existsSync(tarball)).toBe(true);
  return { packDir, tarball, files: info!.files.map((f) => f.path) };
}

/** `npm install --save-dev` of `packages` in `dir` (which has a package.json); fails the test on an error. */
export function npmInstall(dir: string, packages: string[]): void {
  const r = run(
    npmCommand,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--save-dev', ...packages],
    dir,
  );
  expect(r.status, `npm install ${packages.join(' ')} failed:\n${r.stderr}`).toBe(0);
}

/** The installed version of a package of the consumer. */
export function installedVersion(dir: string, name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `eslint -f json .` (or the given targets) with the consumer's ESLint, from `cwd`. */
export function eslintJson(consumerDir: string, cwd: string, targets: string[] = ['.']) {
  const r = run(path.join(consumerDir, 'node_modules', '.bin', 'eslint'), ['-f', 'json', ...targets], cwd, 180_000);
  let results: LintResult[] = [];
  try {
    results = JSON.parse(r.stdout) as LintResult[];
  } catch {
    throw new Error(`eslint printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, stderr: r.stderr, results };
}
