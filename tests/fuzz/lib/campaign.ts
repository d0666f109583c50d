/**
 * A differential fuzzing campaign: generate `runs` programs from `seed`, compare oracle and rules on each,
 * count the disagreements, and shrink the first few with fast-check so that they can be reported as minimal
 * programs (with the seed and the fast-check path that replays them).
 */
import * as fc from 'fast-check';
import type { FuzzProgram } from './ast';
import { check, describe, type PluginLike, TypedLinter, type Verdict } from './harness';
import { type GeneratorOptions, programArbitrary } from './generator';

export interface CampaignOptions {
  plugin: PluginLike;
  fixturesDir: string;
  runs: number;
  seed: number;
  /** How many disagreements to shrink and report in full (default 5). */
  shrink?: number;
  generator?: GeneratorOptions;
  /** Progress callback, called every `progressEvery` programs. */
  onProgress?: (done: number, disagreements: number) => void;
  /** Called with each disagreement as soon as it is found (unshrunk), with its replay path. */
  onDisagreement?: (path: string, verdict: Verdict) => void;
  progressEvery?: number;
}

export interface Finding {
  seed: number;
  /** fast-check replay path of the original (unshrunk) failing run. */
  path: string;
  shrunk: Verdict;
  report: string;
}

export interface CampaignResult {
  programs: number;
  disagreements: number;
  /** Programs that crashed a rule or did not parse. */
  fatal: number;
  findings: Finding[];
  ms: number;
}

export function runCampaign(opts: CampaignOptions): CampaignResult {
  const start = Date.now();
  const linter = new TypedLinter(opts.plugin, opts.fixturesDir);
  const arb = programArbitrary(opts.generator);
  const failing: number[] = [];
  let programs = 0;
  let fatal = 0;

  // Phase 1: every generated program is checked once; the property never fails so that all runs happen.
  fc.check(
    fc.property(arb, (p: FuzzProgram) => {
      const v = check(linter, p);
      if (!v.agree) {
        failing.push(programs);
        opts.onDisagreement?.(String(programs), v);
      }
      if (v.fatal.length > 0) fatal++;
      programs++;
      if (opts.onProgress && programs % (opts.progressEvery ?? 1000) === 0) opts.onProgress(programs, failing.length);
      return true;
    }),
    { seed: opts.seed, numRuns: opts.runs },
  );

  // Phase 2: replay and shrink the first few failing runs.
  const findings: Finding[] = [];
  const strict = fc.property(arb, (p: FuzzProgram) => check(linter, p).agree);
  for (const index of failing.slice(0, opts.shrink ?? 5)) {
    const path = String(index);
    const details = fc.check(strict, { seed: opts.seed, numRuns: opts.runs, path });
    if (!details.failed || details.counterexample === null) {
      throw new Error(`fuzz: run ${path} of seed ${opts.seed} did not fail again on replay`);
    }
    const shrunk = check(linter, details.counterexample[0]);
    findings.push({
      seed: opts.seed,
      path,
      shrunk,
      report: `${describe(shrunk, opts.seed)}\n(replay: seed ${opts.seed}, path "${path}", ${details.numShrinks} shrinks)`,
    });
  }
  return { programs, disagreements: failing.length, fatal, findings, ms: Date.now() - start };
}
