import { createRule } from '../util/create-rule';

// TEMPORARY placeholder while the engine is written; replaced by the real rule.
export default createRule<[{ checkModuleScope?: boolean }], 'leak'>({
  name: 'no-leak',
  meta: {
    type: 'problem',
    docs: { description: 'Require every socket to be released on every path', requiresTypeChecking: true, recommended: true },
    messages: { leak: 'This {{kind}} is not released: {{detail}}.' },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: { checkModuleScope: { type: 'boolean', description: 'Also check sockets created at module scope.' } },
      },
    ],
    defaultOptions: [{ checkModuleScope: false }],
  },
  defaultOptions: [{ checkModuleScope: false }],
  create(context) {
    return {
      'CallExpression[callee.property.name="connect"]'(node) {
        context.report({ node, messageId: 'leak', data: { kind: 'net.Socket', detail: 'placeholder' } });
      },
    };
  },
});
