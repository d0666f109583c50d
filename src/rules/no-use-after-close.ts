import { createRule } from '../util/create-rule';

// TEMPORARY placeholder while the engine is written; replaced by the real rule.
export default createRule<[{ reportDoubleRelease?: boolean }], 'leak'>({
  name: 'no-use-after-close',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow socket operations after the socket was released', requiresTypeChecking: true, recommended: true },
    messages: { leak: 'This {{kind}} is not released: {{detail}}.' },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: { reportDoubleRelease: { type: 'boolean', description: 'Also report a second release.' } },
      },
    ],
    defaultOptions: [{ reportDoubleRelease: false }],
  },
  defaultOptions: [{ reportDoubleRelease: false }],
  create(context) {
    return {
      'CallExpression[callee.property.name="write"]'(node) {
        context.report({ node, messageId: 'leak', data: { kind: 'net.Socket', detail: 'placeholder' } });
      },
    };
  },
});
