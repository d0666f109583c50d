/**
 * Per-file sharing: one code-path recorder and one file model per linted file, shared by every rule of the plugin
 * that lints it; one kind registry per TypeScript program and settings. Rules connect through {@link useEngine}
 * and report through {@link engineListeners}.
 */
import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './node-types';
import type * as ts from 'typescript';
import { KindRegistry } from '../kinds/registry';
import { resolveSettings, type ResolvedSettings } from '../kinds/settings';
import { FileModel } from '../model/file-model';
import type { Services } from '../model/bindings';
import { FlowRecorder } from './flow';
import { ProgramReach } from '../model/reach';
import { recover, isStrict } from './strict';
import { traversalSteps, type TraversalStep } from './ast';
import { missingTypes, type MissingTypes } from './setup';

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

interface FileEngine {
  /** Made only for a file that is screened or analysed (an unreachable file records nothing). */
  recorder: FlowRecorder | undefined;
  services: Services | undefined;
  settings: ResolvedSettings;
  model: FileModel | undefined;
  /** Results computed by analyses, keyed by analysis name + options. */
  results: Map<string, unknown>;
  /** The set-up problem of the file (no type information, missing types), reported once by the first rule. */
  setup: { problem: 'noTypeInfo' | MissingTypes | undefined; reported: boolean } | undefined;
  /**
   * The pre-screen found no candidate (see {@link FileModel.hasCandidate}): no code paths are recorded and no
   * analysis runs. Under SOCKET_CLOSE_STRICT the file is analysed anyway and a finding is an error (`verify`).
   */
  screenedOut: boolean;
  /** Strict mode: the screen said "nothing here" but the analyses still run, to check that they find nothing. */
  verify: boolean;
  /**
   * ESLint's cached traversal, replayed into the recorder before the first analysis (see {@link FlowRecorder.replay});
   * undefined once replayed, or when the code paths are recorded by listeners.
   */
  pendingReplay: readonly TraversalStep[] | undefined;
  /** The code paths are recorded by replaying the traversal: the rules need no code path listeners. */
  replays: boolean;
  /** The replay threw (an internal error): no analysis runs on the file. */
  replayFailed: boolean;
}

/**
 * How many files the pre-screen let through and skipped, and how many of the skipped ones no resource type can
 * reach (skipped without the screen's tests), for the benchmark and tests.
 */
export const screenStats = { analysed: 0, skipped: 0, unreachable: 0 };

/** One registry (type classification cache) per TypeScript program and settings. */
const registries = new WeakMap<ts.Program, Map<string, KindRegistry>>();
/** One engine per parsed file, shared by all rules of this plugin that lint it. */
const engines = new WeakMap<object, FileEngine>();

export const NO_TYPE_INFO_MESSAGE =
  'socket-close rules need type information, and this file was parsed without it. Use @typescript-eslint/parser with `parserOptions.projectService: true` (or `parserOptions.project`), and make sure this file is part of your tsconfig.';
export const MISSING_TYPES_MESSAGE =
  "socket-close cannot see any socket in this file: the types of '{{module}}' do not resolve, so every socket is `any`. {{fix}}";

function servicesOf(context: AnyContext): Services | undefined {
  const ps = context.sourceCode.parserServices as Partial<Services> | undefined;
  if (!ps?.program || !ps.esTreeNodeToTSNodeMap) return undefined;
  return ps as Services;
}

/** One reach index per registry (program and settings), built when a file first asks. */
const reaches = new WeakMap<KindRegistry, ProgramReach>();

/**
 * Can a value of this file have a resource type at all (see {@link ProgramReach})? An internal error answers yes.
 */
function fileCanReach(sourceCode: TSESLint.SourceCode, services: Services, registry: KindRegistry, settings: ResolvedSettings): boolean {
  try {
    const sf = services.esTreeNodeToTSNodeMap.get(sourceCode.ast)?.getSourceFile();
    if (!sf) return true;
    let reach = reaches.get(registry);
    if (!reach) {
      reach = new ProgramReach(services.program, services.program.getTypeChecker(), registry.bindings, settings.key);
      reaches.set(registry, reach);
    }
    return reach.fileReaches(sf);
  } catch (error) {
    return recover(error, true);
  }
}

function registryFor(program: ts.Program, settings: ResolvedSettings): KindRegistry {
  let perSettings = registries.get(program);
  if (!perSettings) {
    perSettings = new Map();
    registries.set(program, perSettings);
  }
  let registry = perSettings.get(settings.key);
  if (!registry) {
    registry = new KindRegistry(program.getTypeChecker(), settings.bindings, program);
    perSettings.set(settings.key, registry);
  }
  return registry;
}

export interface EngineHandle {
  /** Listeners to merge into the rule's own (code-path recording; empty for the second rule on a file). */
  listeners: TSESLint.RuleListener;
  /** Whether the file has type information. */
  hasTypes: boolean;
  /** The pre-screen found nothing to analyse in this file: the rule only reports set-up problems. */
  screenedOut: boolean;
  /** The code paths come from replaying ESLint's traversal: the analysis runs on `Program:exit`. */
  replays: boolean;
  /** The validated shared settings. */
  settings: ResolvedSettings;
  /** The file model; call after the Program's code path ended (e.g. from `Program:exit`). */
  model(): FileModel | undefined;
  /** Memoises an analysis result for this file. */
  memo<T>(key: string, compute: (model: FileModel) => T): T | undefined;
}

/**
 * Connects a rule to the shared per-file engine. The first rule to lint a file records its code paths; every
 * rule reads the same model, so the type checker is queried once per node per file.
 */
export function useEngine(context: AnyContext): EngineHandle {
  const key = context.sourceCode.ast as object;
  let engine = engines.get(key);
  let listeners: TSESLint.RuleListener = {};
  if (!engine) {
    const strict = isStrict();
    // Invalid settings throw here, with a message that names the bad entry (ESLint shows it as a rule crash).
    const settings = resolveSettings(context.settings);
    const services = servicesOf(context);
    engine = { recorder: undefined, services, settings, model: undefined, results: new Map(), setup: undefined, screenedOut: false, verify: false, pendingReplay: undefined, replays: false, replayFailed: false };
    engines.set(key, engine);
    if (services) {
      // The pre-screen: a file in which no analysis has a candidate needs no code path recording at all.
      const registry = registryFor(services.program, settings);
      // A file that no resource type can reach needs not even the screen (strict mode runs it, and checks).
      const reachable = fileCanReach(context.sourceCode, services, registry, settings);
      if (reachable || strict) {
        const m = new FileModel(context.sourceCode, services, (engine.recorder = new FlowRecorder()), registry);
        engine.model = m;
        const candidate = m.hasCandidate();
        if (!reachable && candidate) {
          // The screen found a value of a resource type (every test it passes asks the type checker for a kind).
          throw new Error(`socket-close: ${context.filename} has a value of a resource type, but no resource type reaches it through its imports or the globals it names`);
        }
        engine.screenedOut = !reachable || !candidate;
        if (!engine.screenedOut) m.resolveWholeFile();
      } else {
        engine.screenedOut = true;
      }
      engine.verify = engine.screenedOut && strict;
      if (engine.screenedOut) screenStats.skipped++;
      else screenStats.analysed++;
      if (!reachable) screenStats.unreachable++;
    }
    if (!engine.screenedOut || engine.verify) {
      const recorder = (engine.recorder ??= new FlowRecorder());
      const steps = traversalSteps(context.sourceCode);
      if (FlowRecorder.replayable(steps)) {
        engine.pendingReplay = steps;
        engine.replays = true;
      } else {
        listeners = recorder.listeners();
      }
    }
  }
  const e = engine;
  const model = (): FileModel | undefined => {
    if (!e.services) return undefined;
    if (e.pendingReplay) {
      const steps = e.pendingReplay;
      e.pendingReplay = undefined;
      try {
        e.recorder?.replay(steps);
      } catch (error) {
        // Half-recorded code paths would mislead the analyses: the file gets none.
        e.replayFailed = recover(error, true);
      }
    }
    if (e.replayFailed) return undefined;
    e.model ??= new FileModel(context.sourceCode, e.services, (e.recorder ??= new FlowRecorder()), registryFor(e.services.program, e.settings));
    return e.model;
  };
  return {
    listeners,
    hasTypes: !!e.services,
    screenedOut: e.screenedOut && !e.verify,
    replays: e.replays,
    settings: e.settings,
    model,
    memo<T>(k: string, compute: (m: FileModel) => T): T | undefined {
      if (e.results.has(k)) return e.results.get(k) as T;
      if (e.screenedOut && !e.verify) return undefined;
      const m = model();
      if (!m) return undefined;
      let value: T | undefined;
      try {
        value = compute(m);
      } catch (error) {
        // An internal error must not stop the user's whole lint run: report nothing for this file instead.
        // Tests and the fuzzer set SOCKET_CLOSE_STRICT so that such errors fail loudly.
        if (isStrict()) throw error;
        value = undefined;
      }
      if (e.verify && Array.isArray(value) && value.length > 0) {
        throw new Error(`socket-close: the pre-screen skipped ${context.filename}, but '${k}' finds ${value.length} problem(s) in it`);
      }
      e.results.set(k, value);
      return value;
    },
  };
}

/** The file's set-up problem, computed once; undefined after the first rule took it. */
function takeSetupProblem(context: AnyContext): 'noTypeInfo' | MissingTypes | undefined {
  const e = engines.get(context.sourceCode.ast);
  if (!e) return undefined;
  e.setup ??= {
    problem: e.services ? missingTypes(context.sourceCode.ast, e.services) : 'noTypeInfo',
    reported: false,
  };
  if (e.setup.reported) return undefined;
  e.setup.reported = true;
  return e.setup.problem;
}

/** Merges listener objects; handlers for the same selector run in order. */
export function mergeListeners(...all: TSESLint.RuleListener[]): TSESLint.RuleListener {
  const out: Record<string, (...args: never[]) => void> = {};
  for (const listeners of all) {
    for (const [selector, handler] of Object.entries(listeners as Record<string, (...args: never[]) => void>)) {
      if (!handler) continue;
      const prev = out[selector];
      out[selector] = prev
        ? (...args: never[]) => {
            prev(...args);
            handler(...args);
          }
        : handler;
    }
  }
  return out;
}

export interface Finding {
  node: TSESTree.Node;
  messageId: string;
}

/**
 * The listeners of a rule built on the engine: code-path recording (for the first rule on a file), then, when the
 * program's code path ends, the file's set-up problem (no type information, missing types: once per file, by the
 * first rule) and the analysis's findings, one per place and message (a socket that may come from either of two
 * creations is reported once).
 */
export function engineListeners<F extends Finding>(
  context: AnyContext,
  engine: EngineHandle,
  analysisKey: string,
  analyse: (model: FileModel) => F[],
  report: (finding: F) => void,
): TSESLint.RuleListener {
  const end = (node: TSESTree.Node): void => {
    const problem = takeSetupProblem(context);
    const loc = { line: 1, column: 0 };
    if (problem === 'noTypeInfo') context.report({ node, loc, messageId: 'noTypeInfo' });
    else if (problem) context.report({ node, loc, messageId: 'missingTypes', data: { module: problem.module, fix: problem.fix } });
    if (!engine.hasTypes) return;
    const seen = new Set<string>();
    for (const f of engine.memo(analysisKey, analyse) ?? []) {
      const key = `${f.node.range[0]}:${f.node.range[1]}:${f.messageId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report(f);
    }
  };
  // A screened-out file records no code paths, and a replayed one needs no listener for them: the set-up problem
  // and the findings are reported when the traversal ends (the whole traversal is known by then).
  if (engine.screenedOut || engine.replays) return { 'Program:exit': end };
  const own = {
    onCodePathEnd(_codePath: unknown, node: TSESTree.Node) {
      if (node.type === AST_NODE_TYPES.Program) end(node);
    },
  } as unknown as TSESLint.RuleListener;
  return mergeListeners(engine.listeners, own);
}
