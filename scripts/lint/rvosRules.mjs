// Project rules for ESLint (see eslint.config.mjs): the import layers of src/ and branches that do the same thing.
// Plain ESM so ESLint loads it without a TypeScript loader.

import * as path from 'node:path';

/**
 * What each layer of src/ may not import (README, Architecture). A layer is the first folder under src/, so the rule
 * holds however the folders below it are arranged. `vscode` may be imported only by the host and the entry point.
 */
const FORBIDDEN_LAYERS = {
  core: ['inference', 'cli', 'host', 'shared', 'webview', 'extension'],
  inference: ['host', 'extension'],
  cli: ['host', 'extension'],
  shared: ['host', 'extension'],
  webview: ['host', 'extension'],
};
const VSCODE_LAYERS = ['host', 'extension'];

/** The layer of an absolute file path under `srcDir`, or undefined outside it. */
function layerOf(srcDir, file) {
  const rel = path.relative(srcDir, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0];
  return first.replace(/\.(ts|mts|js|mjs)$/, '');
}

const layers = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Keeps the layers of src/ apart: vscode only in the host, no host code elsewhere, core alone',
    },
    schema: [],
    messages: {
      vscode: "src/{{layer}}/ may not import 'vscode' (only src/host/ and src/extension.ts talk to VS Code)",
      layer: "src/{{layer}}/ may not import src/{{target}} ('{{specifier}}'): {{why}}",
    },
  },
  create(context) {
    const file = context.filename;
    // src/ is the folder named src nearest above the file.
    const parts = file.split(path.sep);
    const srcIndex = parts.lastIndexOf('src');
    if (srcIndex < 0) return {};
    const srcDir = parts.slice(0, srcIndex + 1).join(path.sep) || path.sep;
    const layer = layerOf(srcDir, file);
    if (layer === undefined) return {};
    const forbidden = FORBIDDEN_LAYERS[layer] ?? [];

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier === 'vscode' || specifier.startsWith('vscode/')) {
        if (!VSCODE_LAYERS.includes(layer)) context.report({ node, messageId: 'vscode', data: { layer } });
        return;
      }
      if (!specifier.startsWith('.')) return;
      const target = layerOf(srcDir, path.resolve(path.dirname(file), specifier));
      if (target === undefined || target === layer || !forbidden.includes(target)) return;
      const why =
        layer === 'core'
          ? 'src/core/ is pure and imports no other layer'
          : target === 'host'
            ? 'host code runs in the extension host only'
            : 'the entry point is imported by nothing';
      context.report({
        node,
        messageId: 'layer',
        data: { layer, target: target === 'extension' ? 'extension.ts' : `${target}/`, specifier, why },
      });
    }
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) =>
        node.argument.type === 'TSLiteralType' && check(node.argument, node.argument.literal.value),
      TSExternalModuleReference: (node) => node.expression.type === 'Literal' && check(node, node.expression.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node.arguments[0], node.arguments[0].value),
    };
  },
};

/**
 * `a ? X : b ? X : Y` (the outer branch repeated by the inner one: merge the conditions), `a ? X : X`, and
 * `if (a) S else if (b) S` — a condition that changes nothing is a dead branch or a slip. No stock ESLint rule reports
 * these: sonarjs's no-all-duplicated-branches wants every branch equal.
 */
const duplicateBranches = {
  meta: {
    type: 'problem',
    docs: { description: 'Reports a conditional branch that repeats the branch before it' },
    schema: [],
    messages: {
      ternary: 'both outcomes of this condition are `{{text}}`: the condition changes nothing',
      chain: 'this branch repeats the one before (`{{text}}`): merge the conditions',
    },
  },
  create(context) {
    const source = context.sourceCode;
    const text = (node) => source.getText(node).replace(/\s+/g, ' ');
    const short = (s) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
    return {
      ConditionalExpression(node) {
        const consequent = text(node.consequent);
        if (consequent === text(node.alternate)) {
          context.report({ node, messageId: 'ternary', data: { text: short(consequent) } });
        } else if (node.alternate.type === 'ConditionalExpression' && text(node.alternate.consequent) === consequent) {
          context.report({ node: node.alternate, messageId: 'chain', data: { text: short(consequent) } });
        }
      },
      IfStatement(node) {
        if (node.alternate?.type !== 'IfStatement') return;
        const consequent = text(node.consequent);
        if (text(node.alternate.consequent) === consequent) {
          context.report({ node: node.alternate, messageId: 'chain', data: { text: short(consequent) } });
        }
      },
    };
  },
};

export default {
  meta: { name: 'rvos' },
  rules: { layers, 'duplicate-branches': duplicateBranches },
};
