/**
 * The oracle: an abstract interpreter over the fuzzer's own AST, written without reference to the engine.
 *
 * It explores every path of the function. Conditions are opaque (each `if`, `switch`, loop test may go any way),
 * so the set of paths is the set of all syntactic paths. Instead of listing paths one by one it propagates
 * *sets of concrete states* (deduplicated), which yields exactly the union over paths of what each path would
 * report, and lets loops run to a fixpoint (0, 1, 2, ... iterations until no new loop-head state appears —
 * this includes every bounded unrolling).
 *
 * A state binds each socket variable in scope to a socket object; an object records its creation site, whether it
 * is open and whether it was handed off (`this.s = x`, or `return x` once the function really returns it).
 *
 * Expected diagnostics:
 *  - `no-leak` at a creation site when, on some path, an object created there becomes unreachable (its variables
 *    go out of scope, the function exits normally, by `return` or by an uncaught `throw`, or its `const` is
 *    executed again in a later loop iteration) while still open and not handed off;
 *  - `no-use-after-close` at a `write` site reached on some path with its object released (by `end()` or
 *    `destroy()`). Releases are never uses.
 * Only explicit `throw` statements raise exceptions; calls and `await` never throw in this model — with one
 * exception, for sockets created in a catch block: such a block also runs as if its try block threw, when that
 * block contains a statement that makes a call, a `new` or an `await` (create, write, end, destroy,
 * `while (more())`, `await p`, `throw new Error()`), and the try block can get somewhere an exception could come
 * from: it reaches a statement that evaluates an expression (anything but `return;`, `break`, `continue` and a
 * nested try statement itself) outside nested try blocks and finally blocks, or its end. Those *implicit* paths track
 * only the sockets created in that catch block (every other object is taken as handed off, and no use after release
 * is reported on them): they add what a socket made in a catch block does, and nothing about the sockets around it.
 */
import type { FuzzProgram, Stmt } from './ast';

interface Obj {
  site: number;
  open: boolean;
  handed: boolean;
}

interface State {
  env: Record<string, number>;
  objs: Obj[];
  /**
   * The value of a `return` in flight (its object, or -1 for no value) between the `return` statement and the
   * next `finally` block or the function exit; null in states that execute statements.
   */
  ret: number | null;
  /**
   * One frame per `finally` block being executed, innermost last: the return value it holds while it runs on a
   * `return` path (resumed when the block completes normally; discarded when the block completes abruptly — a
   * `break`/`continue`/`throw`/`return` that leaves it), null when it runs on any other path. A jump to a
   * loop/switch *inside* the finally block does not leave it and keeps the pending return.
   */
  fin: (number | null)[];
  /**
   * On an implicit path into a catch block (see above): the creation sites of that block, the only objects tracked
   * there; null on every other path.
   */
  ghost: ReadonlySet<number> | null;
}

export interface OracleResult {
  /** Creation sites that leak on some path. */
  leaks: Set<number>;
  /** Use sites reached after a release on some path. */
  useAfterRelease: Set<number>;
  /** Number of distinct states explored (a size figure, for statistics). */
  states: number;
}

class StateSet {
  readonly map = new Map<string, State>();
  add(s: State): void {
    const k = keyOf(s);
    if (!this.map.has(k)) this.map.set(k, s);
  }
  addAll(other: StateSet): void {
    for (const [k, s] of other.map) if (!this.map.has(k)) this.map.set(k, s);
  }
  get size(): number {
    return this.map.size;
  }
  [Symbol.iterator](): IterableIterator<State> {
    return this.map.values();
  }
}

/** Canonical key of a state: objects are renumbered by first reference (env in name order, then ret). */
function keyOf(s: State): string {
  const order = new Map<number, number>();
  const parts: string[] = [];
  const id = (o: number): string => {
    if (o < 0) return '-';
    let n = order.get(o);
    if (n === undefined) {
      n = order.size;
      order.set(o, n);
      const obj = s.objs[o]!;
      return `#${n}(${obj.site},${obj.open ? 'o' : 'c'}${obj.handed ? 'h' : ''})`;
    }
    return `#${n}`;
  };
  for (const v of Object.keys(s.env).sort()) parts.push(`${v}=${id(s.env[v]!)}`);
  parts.push(`ret=${s.ret === null ? 'none' : id(s.ret)}`);
  parts.push(`fin=${s.fin.map((f) => (f === null ? 'none' : id(f))).join(',')}`);
  if (s.ghost) parts.push(`ghost=${[...s.ghost].sort((a, b) => a - b).join(',')}`);
  return parts.join(';');
}

interface Out {
  normal: StateSet;
  brk: Map<number, StateSet>;
  cont: Map<number, StateSet>;
  ret: StateSet;
  thr: StateSet;
}

const emptyOut = (): Out => ({
  normal: new StateSet(),
  brk: new Map(),
  cont: new Map(),
  ret: new StateSet(),
  thr: new StateSet(),
});

function addTo(map: Map<number, StateSet>, key: number, states: StateSet): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new StateSet()));
  set.addAll(states);
}

/** Merges the abrupt completions of `from` into `into` (normal completions are handled by the caller). */
function mergeAbrupt(into: Out, from: Out): void {
  for (const [k, v] of from.brk) addTo(into.brk, k, v);
  for (const [k, v] of from.cont) addTo(into.cont, k, v);
  into.ret.addAll(from.ret);
  into.thr.addAll(from.thr);
}

function mapOut(o: Out, f: (s: State) => State): Out {
  const m = (set: StateSet): StateSet => {
    const r = new StateSet();
    for (const s of set) r.add(f(s));
    return r;
  };
  const out = emptyOut();
  out.normal = m(o.normal);
  for (const [k, v] of o.brk) out.brk.set(k, m(v));
  for (const [k, v] of o.cont) out.cont.set(k, m(v));
  out.ret = m(o.ret);
  out.thr = m(o.thr);
  return out;
}

const single = (s: State): StateSet => {
  const r = new StateSet();
  r.add(s);
  return r;
};

export function runOracle(program: FuzzProgram): OracleResult {
  const leaks = new Set<number>();
  const useAfterRelease = new Set<number>();
  let explored = 0;

  /** Drops unreachable objects, reporting those still open and not handed off as leaks. */
  const collect = (s: State): State => {
    const live = new Set<number>(Object.values(s.env));
    for (const r of [s.ret, ...s.fin]) if (r !== null && r >= 0) live.add(r);
    const objs: Obj[] = [];
    const remap = new Map<number, number>();
    s.objs.forEach((o, i) => {
      if (live.has(i)) {
        remap.set(i, objs.length);
        objs.push(o);
      } else if (o.open && !o.handed) {
        leaks.add(o.site);
      }
    });
    const env: Record<string, number> = {};
    for (const [v, o] of Object.entries(s.env)) env[v] = remap.get(o)!;
    const re = (r: number | null): number | null => (r === null || r < 0 ? r : remap.get(r)!);
    return { env, objs, ret: re(s.ret), fin: s.fin.map(re), ghost: s.ghost };
  };

  const withObj = (s: State, v: string, f: (o: Obj) => Obj): State => {
    const i = s.env[v];
    if (i === undefined) throw new Error(`oracle: ${v} is not in scope`);
    const objs = s.objs.slice();
    objs[i] = f(objs[i]!);
    return { ...s, objs };
  };

  const exitScope = (o: Out, vars: string[]): Out => {
    if (vars.length === 0) return o;
    return mapOut(o, (s) => {
      const env = { ...s.env };
      for (const v of vars) delete env[v];
      return collect({ ...s, env });
    });
  };

  const block = (stmts: Stmt[], input: StateSet): Out => {
    const out = emptyOut();
    let cur = input;
    for (const st of stmts) {
      if (cur.size === 0) break;
      const o = stmt(st, cur);
      mergeAbrupt(out, o);
      cur = o.normal;
    }
    out.normal = cur;
    const declared = stmts.flatMap((s) => (s.k === 'create' || s.k === 'alias' ? [s.v] : []));
    return exitScope(out, declared);
  };

  /** Applies `f` to each state; `f` returns the completion kind and the new state. */
  const each = (input: StateSet, f: (s: State) => [keyof Pick<Out, 'normal' | 'ret' | 'thr'>, State]): Out => {
    const out = emptyOut();
    for (const s of input) {
      explored++;
      const [kind, next] = f(s);
      out[kind].add(next);
    }
    return out;
  };

  /**
   * Where an exception raised by the statement being interpreted would go: the try statements and catch blocks
   * around it, innermost last (`catch` entries only for a try with a finally block, whose finally takes it).
   */
  const throwContexts: Array<{ t: Stmt; at: 'try' | 'catch' | 'finally' }> = [];
  /** Try statements whose block reached a statement that evaluates an expression (in their own context). */
  const reachedThrowable = new Set<Stmt>();
  const noteThrowable = (st: Stmt, input: StateSet): void => {
    if (input.size === 0 || st.k === 'return' || st.k === 'break' || st.k === 'continue' || st.k === 'try') return;
    for (let i = throwContexts.length - 1; i >= 0; i--) {
      const c = throwContexts[i]!;
      if (c.at === 'try') {
        reachedThrowable.add(c.t);
        return;
      }
      if (c.at === 'catch' && c.t.k === 'try' && c.t.finalizer !== null) return;
    }
  };

  const stmt = (st: Stmt, input: StateSet): Out => {
    noteThrowable(st, input);
    switch (st.k) {
      case 'create':
        return each(input, (s) => {
          if (s.env[st.v] !== undefined) throw new Error(`oracle: ${st.v} declared twice`);
          const objs = [...s.objs, { site: st.site, open: true, handed: !!s.ghost && !s.ghost.has(st.site) }];
          return ['normal', { ...s, env: { ...s.env, [st.v]: objs.length - 1 }, objs }];
        });
      case 'use':
        return each(input, (s) => {
          const i = s.env[st.v];
          if (i === undefined) throw new Error(`oracle: ${st.v} is not in scope`);
          if (!s.objs[i]!.open && !s.ghost) useAfterRelease.add(st.site);
          return ['normal', s];
        });
      case 'end':
      case 'destroy':
        return each(input, (s) => ['normal', withObj(s, st.v, (o) => ({ ...o, open: false }))]);
      case 'store':
        return each(input, (s) => ['normal', withObj(s, st.v, (o) => ({ ...o, handed: true }))]);
      case 'alias':
        return each(input, (s) => {
          const i = s.env[st.of];
          if (i === undefined) throw new Error(`oracle: ${st.of} is not in scope`);
          return ['normal', { ...s, env: { ...s.env, [st.v]: i } }];
        });
      case 'await':
        return each(input, (s) => ['normal', s]);
      case 'return':
        return each(input, (s) => ['ret', collect({ ...s, ret: -1 })]);
      case 'returnSock':
        return each(input, (s) => {
          const i = s.env[st.v];
          if (i === undefined) throw new Error(`oracle: ${st.v} is not in scope`);
          return ['ret', collect({ ...s, ret: i })];
        });
      case 'throw':
        return each(input, (s) => ['thr', s]);
      case 'break':
      case 'continue': {
        const out = emptyOut();
        const set = new StateSet();
        for (const s of input) {
          explored++;
          set.add(s);
        }
        addTo(st.k === 'break' ? out.brk : out.cont, st.target, set);
        return out;
      }
      case 'if': {
        const a = block(st.then, input);
        const b = st.else === null ? null : block(st.else, input);
        const out = emptyOut();
        mergeAbrupt(out, a);
        out.normal.addAll(a.normal);
        if (b) {
          mergeAbrupt(out, b);
          out.normal.addAll(b.normal);
        } else {
          out.normal.addAll(input);
        }
        return out;
      }
      case 'switch': {
        const out = emptyOut();
        const exit = new StateSet();
        if (!st.clauses.some((c) => c.test === null)) exit.addAll(input); // no clause matches
        let fallIn = new StateSet();
        for (const c of st.clauses) {
          const entry = new StateSet();
          entry.addAll(input);
          entry.addAll(fallIn);
          const o = block(c.body, entry);
          const own = o.brk.get(st.id);
          if (own) exit.addAll(own);
          o.brk.delete(st.id);
          mergeAbrupt(out, o);
          fallIn = o.normal;
        }
        exit.addAll(fallIn);
        out.normal = exit;
        return out;
      }
      case 'loop': {
        const out = emptyOut();
        const exit = new StateSet();
        const seen = new StateSet();
        let head = input;
        while (head.size > 0) {
          const fresh = new StateSet();
          for (const [k, s] of head.map) {
            if (!seen.map.has(k)) {
              seen.map.set(k, s);
              fresh.map.set(k, s);
            }
          }
          if (fresh.size === 0) break;
          exit.addAll(fresh); // the loop test is opaque: it may stop before any iteration
          const o = block(st.body, fresh);
          const brk = o.brk.get(st.id);
          if (brk) exit.addAll(brk);
          o.brk.delete(st.id);
          const next = new StateSet();
          next.addAll(o.normal);
          const cont = o.cont.get(st.id);
          if (cont) next.addAll(cont);
          o.cont.delete(st.id);
          mergeAbrupt(out, o);
          head = next;
        }
        out.normal = exit;
        return out;
      }
      case 'try': {
        throwContexts.push({ t: st, at: 'try' });
        let o = block(st.body, input);
        throwContexts.pop();
        if (st.handler !== null) {
          const entry = new StateSet();
          entry.addAll(o.thr);
          const sites = creationSites(st.handler);
          if (sites.size > 0 && mayThrow(st.body) && (reachedThrowable.has(st) || o.normal.size > 0)) {
            // Implicit paths into the catch block: from the start and from the normal end of the try block.
            for (const s of [...input, ...o.normal]) {
              entry.add({ ...s, objs: s.objs.map((obj) => (sites.has(obj.site) ? obj : { ...obj, handed: true })), ghost: sites });
            }
          }
          throwContexts.push({ t: st, at: 'catch' });
          const h = block(st.handler, entry);
          throwContexts.pop();
          o.thr = new StateSet();
          mergeAbrupt(o, h);
          o.normal.addAll(h.normal);
        }
        if (st.finalizer === null) return o;
        const fin = st.finalizer;
        const out = emptyOut();
        /**
         * Runs the finally block on `states` with a frame holding their return in flight (if any). A normal
         * completion pops the frame and resumes via `resume` (with the pending return restored); an abrupt one
         * leaves the block and pops the frame, discarding the pending return (the objects it held may leak).
         */
        const through = (states: StateSet, resume: (normal: StateSet) => void): void => {
          if (states.size === 0) return;
          const entered = new StateSet();
          for (const s of states) entered.add({ ...s, ret: null, fin: [...s.fin, s.ret] });
          throwContexts.push({ t: st, at: 'finally' });
          const f = block(fin, entered);
          throwContexts.pop();
          const pop = (set: StateSet, resumeReturn: boolean): StateSet => {
            const r = new StateSet();
            for (const s of set) {
              const frame = s.fin[s.fin.length - 1]!;
              r.add(collect({ ...s, ret: resumeReturn ? frame : s.ret, fin: s.fin.slice(0, -1) }));
            }
            return r;
          };
          for (const [k, v] of f.brk) addTo(out.brk, k, pop(v, false));
          for (const [k, v] of f.cont) addTo(out.cont, k, pop(v, false));
          out.ret.addAll(pop(f.ret, false));
          out.thr.addAll(pop(f.thr, false));
          resume(pop(f.normal, true));
        };
        through(o.normal, (n) => out.normal.addAll(n));
        for (const [k, v] of o.brk) through(v, (n) => addTo(out.brk, k, n));
        for (const [k, v] of o.cont) through(v, (n) => addTo(out.cont, k, n));
        through(o.ret, (n) => out.ret.addAll(n));
        through(o.thr, (n) => out.thr.addAll(n));
        return out;
      }
    }
  };

  const start: State = { env: {}, objs: [], ret: null, fin: [], ghost: null };
  const o = block(program.body, single(start));
  // Function exit: a returned socket is handed to the caller; everything else still reachable is collected.
  for (const s of o.ret) {
    const objs = s.objs.slice();
    if (s.ret !== null && s.ret >= 0) objs[s.ret] = { ...objs[s.ret]!, handed: true };
    collect({ env: {}, objs, ret: null, fin: [], ghost: null });
  }
  for (const s of [...o.normal, ...o.thr]) collect({ ...s, env: {}, ret: null, fin: [], ghost: null });
  if (o.brk.size > 0 || o.cont.size > 0) throw new Error('oracle: jump escaped the function');
  return { leaks, useAfterRelease, states: explored };
}

/** The creation sites in these statements (nested blocks included). */
function creationSites(stmts: readonly Stmt[]): Set<number> {
  const out = new Set<number>();
  forEachStmt(stmts, (st) => {
    if (st.k === 'create') out.add(st.site);
  });
  return out;
}

/** Do these statements make a call (create, write, end, destroy, `more()`), a `new` (`throw new Error()`) or an `await`? */
function mayThrow(stmts: readonly Stmt[]): boolean {
  let found = false;
  forEachStmt(stmts, (st) => {
    if (st.k === 'create' || st.k === 'use' || st.k === 'end' || st.k === 'destroy' || st.k === 'await' || st.k === 'throw' || (st.k === 'loop' && st.kind === 'while')) found = true;
  });
  return found;
}

function forEachStmt(stmts: readonly Stmt[], f: (st: Stmt) => void): void {
  for (const st of stmts) {
    f(st);
    if (st.k === 'if') {
      forEachStmt(st.then, f);
      if (st.else) forEachStmt(st.else, f);
    } else if (st.k === 'switch') {
      for (const c of st.clauses) forEachStmt(c.body, f);
    } else if (st.k === 'loop') {
      forEachStmt(st.body, f);
    } else if (st.k === 'try') {
      forEachStmt(st.body, f);
      if (st.handler) forEachStmt(st.handler, f);
      if (st.finalizer) forEachStmt(st.finalizer, f);
    }
  }
}
