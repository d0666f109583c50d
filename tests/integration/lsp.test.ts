/**
 * Issue 6 item 2: the plugin in a real editor client. Starts vscode-eslint-language-server over stdio in a
 * temporary workspace whose eslint.config.mjs loads the BUILT plugin (dist/) with `projectService`, and checks
 * diagnostics, the "Release it in a finally block" quick fix, and that fixing the code clears the diagnostic.
 * Run `npm run build` first (npm run test:integration does).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lsp-client';
import {
  FIXED_SOURCE,
  LEAKY_SOURCE,
  LEAK_COLUMN,
  LEAK_LINE,
  TSCONFIG,
  flatConfigMjs,
  makeTempDir,
  projectRoot,
  writeFiles,
} from './leaky-project';

const WAIT_MS = 60_000;
const serverBin = path.join(projectRoot, 'node_modules', '.bin', 'vscode-eslint-language-server');
const distEntry = path.join(projectRoot, 'dist', 'index.js');
const parserEntry = require.resolve('@typescript-eslint/parser', { paths: [projectRoot] });

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface Diagnostic {
  range: Range;
  message: string;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface Command {
  title: string;
  command: string;
  arguments?: unknown[];
}
interface CodeAction {
  title: string;
  kind?: string;
  command?: Command;
  diagnostics?: Diagnostic[];
}
interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
}

/** Applies LSP text edits (non-overlapping, in any order) to `text`. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position): number => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const e of sorted) result = result.slice(0, offset(e.range.start)) + e.newText + result.slice(offset(e.range.end));
  return result;
}

describe('vscode-eslint-language-server with the built plugin', () => {
  let workspace: string;
  let fileUri: string;
  let client: LspClient;
  let version = 1;

  /** The settings a VS Code ESLint extension sends for `workspace/configuration` (keys read by the server). */
  const settings = (): Record<string, unknown> => ({
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    useFlatConfig: true,
    experimental: {},
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workspaceFolder: { name: path.basename(workspace), uri: pathToFileURL(workspace).href },
  });

  async function pullDiagnostics(): Promise<Diagnostic[]> {
    const report = await client.request<{ kind: string; items: Diagnostic[] }>(
      'textDocument/diagnostic',
      { textDocument: { uri: fileUri } },
      WAIT_MS,
    );
    expect(report.kind).toBe('full');
    return report.items;
  }

  const noLeak = (items: Diagnostic[]): Diagnostic[] => items.filter((d) => d.code === 'socket-close/no-leak');

  /** Polls pull diagnostics until `done` holds (the server may still be loading ESLint/TypeScript). */
  async function diagnosticsUntil(done: (items: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const deadline = Date.now() + WAIT_MS;
    let items = await pullDiagnostics();
    while (!done(items) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      items = await pullDiagnostics();
    }
    return items;
  }

  function change(text: string): void {
    version += 1;
    client.notify('textDocument/didChange', {
      textDocument: { uri: fileUri, version },
      contentChanges: [{ text }],
    });
  }

  beforeAll(async () => {
    expect(fs.existsSync(distEntry), `${distEntry} is missing: run npm run build`).toBe(true);
    workspace = makeTempDir('socket-close-lsp-');
    writeFiles(workspace, {
      'tsconfig.json': JSON.stringify(TSCONFIG, null, 2),
      'a.ts': LEAKY_SOURCE,
      'eslint.config.mjs': flatConfigMjs(pathToFileURL(distEntry).href, pathToFileURL(parserEntry).href),
    });
    // The workspace resolves `eslint`, `typescript` and `@types/node` through the project's node_modules.
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
    fileUri = pathToFileURL(path.join(workspace, 'a.ts')).href;

    client = new LspClient(serverBin, ['--stdio'], { cwd: workspace });
    client.onRequest('workspace/configuration', (params) =>
      (params as { items: unknown[] }).items.map(() => settings()),
    );
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('client/unregisterCapability', () => null);
    client.onRequest('window/workDoneProgress/create', () => null);
    client.onRequest('workspace/diagnostic/refresh', () => null);
    client.onRequest('window/showMessageRequest', () => null);
    client.onRequest('eslint/confirmESLintExecution', () => 4 /* approved */);
    client.onRequest('eslint/noLibrary', () => ({}));
    client.onRequest('eslint/noConfig', () => ({}));
    client.onRequest('eslint/probeFailed', () => ({}));
    client.onRequest('eslint/openDoc', () => ({}));
    // workspace/applyEdit is answered per test (it carries the quick fix edit).
    client.onRequest('workspace/applyEdit', () => ({ applied: false }));

    const init = await client.request<{ capabilities: Record<string, unknown> }>(
      'initialize',
      {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).href,
        workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: path.basename(workspace) }],
        capabilities: {
          workspace: { configuration: true, applyEdit: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
          textDocument: {
            synchronization: { didSave: true, dynamicRegistration: false },
            publishDiagnostics: { relatedInformation: true },
            diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
            codeAction: {
              codeActionLiteralSupport: {
                codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll', 'source.fixAll.eslint'] },
              },
            },
          },
          window: { workDoneProgress: true },
        },
        initializationOptions: {},
      },
      WAIT_MS,
    );
    expect(init.capabilities.diagnosticProvider).toBeDefined();
    expect(init.capabilities.codeActionProvider).toBeDefined();
    client.notify('initialized', {});
    client.notify('textDocument/didOpen', {
      textDocument: { uri: fileUri, languageId: 'typescript', version, text: LEAKY_SOURCE },
    });
  });

  afterAll(async () => {
    if (client) await client.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('reports socket-close/no-leak at the net.connect call', async () => {
    const items = await diagnosticsUntil((d) => noLeak(d).length > 0);
    const leaks = noLeak(items);
    expect(leaks, `diagnostics: ${JSON.stringify(items)}\n${client.logTail()}`).toHaveLength(1);
    const [leak] = leaks;
    expect(leak.source).toBe('eslint');
    expect(leak.severity).toBe(1); // Error
    expect(leak.range.start).toEqual({ line: LEAK_LINE - 1, character: LEAK_COLUMN - 1 });
    expect(leak.codeDescription?.href).toMatch(/\/docs\/rules\/no-leak\.md$/);
    // The only other rule of the plugin has nothing to say about this file, and nothing failed to load.
    expect(items.filter((d) => d.code !== 'socket-close/no-leak')).toEqual([]);
    expect(client.notifications.filter((n) => n.method === 'eslint/status').map((n) => n.params)).toContainEqual(
      expect.objectContaining({ uri: fileUri, state: 1 }),
    );
  });

  it('offers the "Release it in a finally block" quick fix, and its edit clears the diagnostic', async () => {
    const items = await diagnosticsUntil((d) => noLeak(d).length > 0);
    const [leak] = noLeak(items);
    expect(leak).toBeDefined();

    const actions = await client.request<CodeAction[]>(
      'textDocument/codeAction',
      { textDocument: { uri: fileUri }, range: leak.range, context: { diagnostics: [leak], only: ['quickfix'] } },
      WAIT_MS,
    );
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title.startsWith('Release it in a finally block'));
    expect(fix, `code actions offered: ${JSON.stringify(titles)}`).toBeDefined();
    expect(fix!.kind).toBe('quickfix');
    expect(fix!.title).toMatch(/\(socket-close\/no-leak\)$/);
    expect(fix!.command?.command).toBe('eslint.applySuggestion');

    // Executing the command makes the server send workspace/applyEdit with the suggestion's edit.
    let edit: WorkspaceEdit | undefined;
    client.onRequest('workspace/applyEdit', (params) => {
      edit = (params as { edit: WorkspaceEdit }).edit;
      return { applied: true };
    });
    await client.request('workspace/executeCommand', { command: fix!.command!.command, arguments: fix!.command!.arguments }, WAIT_MS);
    expect(edit, 'the server sent no workspace/applyEdit').toBeDefined();
    const edits = [
      ...(edit!.documentChanges ?? []).filter((c) => c.textDocument.uri === fileUri).flatMap((c) => c.edits),
      ...(edit!.changes?.[fileUri] ?? []),
    ];
    expect(edits.length).toBeGreaterThan(0);
    const fixed = applyEdits(LEAKY_SOURCE, edits);
    // The statements after the creation move into `try { … }` and the socket is destroyed in `finally`.
    expect(fixed).toMatch(
      /const s = net\.connect\(p, '127\.0\.0\.1'\);\s*try\s*\{\s*if \(p > 1\) return;\s*s\.end\(\);\s*\}\s*finally\s*\{\s*s\.destroy\(\);\s*\}\s*\}\s*$/,
    );
    expect(fixed.startsWith("import * as net from 'node:net';\n\nexport function f(p: number): void {\n")).toBe(true);

    // The suggested code is clean in the editor.
    change(fixed);
    const after = await diagnosticsUntil((d) => noLeak(d).length === 0);
    expect(noLeak(after), JSON.stringify(after)).toEqual([]);

    change(LEAKY_SOURCE);
    expect(noLeak(await diagnosticsUntil((d) => noLeak(d).length > 0))).toHaveLength(1);
  });

  it('clears the diagnostic after a didChange that fixes the code, and reports it again when the leak returns', async () => {
    change(FIXED_SOURCE);
    const fixedItems = await diagnosticsUntil((d) => noLeak(d).length === 0);
    expect(noLeak(fixedItems), `${JSON.stringify(fixedItems)}\n${client.logTail()}`).toEqual([]);

    change(LEAKY_SOURCE);
    const leakyItems = await diagnosticsUntil((d) => noLeak(d).length > 0);
    expect(noLeak(leakyItems)).toHaveLength(1);
    expect(noLeak(leakyItems)[0].range.start).toEqual({ line: LEAK_LINE - 1, character: LEAK_COLUMN - 1 });
  });
});
