import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { Catalogue } from './catalogue';
import { FlowRecorder } from './flow';
import { FileModel } from './model';

interface Services {
  program: ts.Program;
  esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node };
}

interface FileEngine {
  recorder: FlowRecorder;
  services: Services | undefined;
  model: FileModel | undefined;
  /** Results computed by analyses, keyed by analysis name + options. */
  results: Map<string, unknown>;
}

/** One catalogue (type classification cache) per TypeScript program. */
const catalogues = new WeakMap<ts.Program, Catalogue>();
/** One engine per parsed file, shared by all rules of this plugin that lint it. */
const engines = new WeakMap<object, FileEngine>();

export const NO_TYPE_INFO_MESSAGE =
  'socket-close rules need type information, and this file was parsed without it. Use @typescript-eslint/parser with `parserOptions.projectService: true` (or `parserOptions.project`), and make sure this file is part of your tsconfig.';

function servicesOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): Services | undefined {
  const ps = context.sourceCode.parserServices as Partial<Services> | undefined;
  if (!ps?.program || !ps.esTreeNodeToTSNodeMap) return undefined;
  return ps as Services;
}

export interface EngineHandle {
  /** Listeners to merge into the rule's own (code-path recording; empty for the second rule on a file). */
  listeners: TSESLint.RuleListener;
  /** Whether the file has type information. */
  hasTypes: boolean;
  /** The file model; call after the Program's code path ended (e.g. from `Program:exit`). */
  model(): FileModel | undefined;
  /** Memoises an analysis result for this file. */
  memo<T>(key: string, compute: (model: FileModel) => T): T | undefined;
}

/**
 * Connects a rule to the shared per-file engine. The first rule to lint a file records its code paths; every
 * rule reads the same model, so the type checker is queried once per node per file.
 */
export function useEngine(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): EngineHandle {
  const key = context.sourceCode.ast as object;
  let engine = engines.get(key);
  let listeners: TSESLint.RuleListener = {};
  if (!engine) {
    const recorder = new FlowRecorder();
    engine = { recorder, services: servicesOf(context), model: undefined, results: new Map() };
    engines.set(key, engine);
    listeners = recorder.listeners();
  }
  const e = engine;
  const model = (): FileModel | undefined => {
    if (!e.services) return undefined;
    if (!e.model) {
      let catalogue = catalogues.get(e.services.program);
      if (!catalogue) {
        catalogue = new Catalogue(e.services.program.getTypeChecker());
        catalogues.set(e.services.program, catalogue);
      }
      e.model = new FileModel(context.sourceCode, e.services, e.recorder, catalogue);
    }
    return e.model;
  };
  return {
    listeners,
    hasTypes: !!e.services,
    model,
    memo<T>(k: string, compute: (m: FileModel) => T): T | undefined {
      if (e.results.has(k)) return e.results.get(k) as T;
      const m = model();
      if (!m) return undefined;
      let value: T | undefined;
      try {
        value = compute(m);
      } catch (error) {
        // An internal error must not stop the user's whole lint run: report nothing for this file instead.
        // Tests and the fuzzer set SOCKET_CLOSE_STRICT so that such errors fail loudly.
        if (process.env.SOCKET_CLOSE_STRICT) throw error;
        value = undefined;
      }
      e.results.set(k, value);
      return value;
    },
  };
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
 * program's code path ends, either one `noTypeInfo` report or the analysis's findings, one per place and message
 * (a socket that may come from either of two creations is reported once).
 */
export function engineListeners<F extends Finding>(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  engine: EngineHandle,
  analysisKey: string,
  analyse: (model: FileModel) => F[],
  report: (finding: F) => void,
): TSESLint.RuleListener {
  const own = {
    onCodePathEnd(_codePath: unknown, node: TSESTree.Node) {
      if (node.type !== AST_NODE_TYPES.Program) return;
      if (!engine.hasTypes) {
        context.report({ node, loc: { line: 1, column: 0 }, messageId: 'noTypeInfo' });
        return;
      }
      const seen = new Set<string>();
      for (const f of engine.memo(analysisKey, analyse) ?? []) {
        const key = `${f.node.range[0]}:${f.node.range[1]}:${f.messageId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report(f);
      }
    },
  } as unknown as TSESLint.RuleListener;
  return mergeListeners(engine.listeners, own);
}
