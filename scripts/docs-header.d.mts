// Types for scripts/docs-header.mjs (imported by tests/docs.test.ts).
export interface DocsRule {
  meta?: {
    docs?: { description?: string; requiresTypeChecking?: boolean; recommended?: boolean; url?: string };
    schema?: unknown;
    defaultOptions?: readonly unknown[];
    hasSuggestions?: boolean;
    fixable?: string;
    deprecated?: boolean;
  };
  defaultOptions?: readonly unknown[];
}
export interface DocsPlugin {
  rules: Record<string, DocsRule>;
  configs?: Record<string, unknown>;
}
export interface OptionEntry {
  path: string;
  type: string;
  default: unknown;
  description: string | undefined;
}
export declare const PLUGIN_PREFIX: string;
export declare const MARKERS: {
  header: [string, string];
  options: [string, string];
  rulesList: [string, string];
};
export declare function configsEnablingRule(plugin: DocsPlugin, ruleName: string): string[];
export declare function generateHeader(plugin: DocsPlugin, ruleName: string): string;
export declare function listOptions(rule: DocsRule): OptionEntry[];
export declare function missingDescriptions(rule: DocsRule): string[];
export declare function generateOptionsList(plugin: DocsPlugin, ruleName: string): string;
export declare function generateRulesList(plugin: DocsPlugin, docsBase?: string): string;
export declare function extractBlock(text: string, markers: readonly [string, string]): string | undefined;
export declare function replaceBlock(text: string, markers: readonly [string, string], content: string): string | undefined;
export declare function generateNewDoc(plugin: DocsPlugin, ruleName: string): string;
