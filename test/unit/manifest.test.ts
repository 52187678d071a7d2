// package.json's contributions against the code that backs them: command ids against their registrations, setting
// defaults and ranges against parseConfig's fallbacks and clamps, `when` clause keys against what the code sets.
// The registrations and setContext calls are read from the TypeScript source (anywhere under src/), so a command
// declared but never registered, or a context key never set, fails here rather than in front of a user.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { parseConfig, type RvosConfig } from '../../src/host/common/config';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

/** Commands registered for the code's own use (tree row clicks), never shown to the user. */
const INTERNAL_COMMANDS = new Set(['rvos.openClipsRow']);

/** Context keys VS Code itself sets; every other key in a `when` clause must be set by our code. */
const BUILT_IN_CONTEXT_KEYS = new Set(['view', 'viewItem', 'activeWebviewPanelId']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const sources = sourceFiles(path.join(root, 'src')).map((file) =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
);

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${path.relative(root, file.fileName)}:${line + 1}`;
}

function calls(file: ts.SourceFile): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The string a `const NAME = '…'` in the same file holds. */
function constString(file: ts.SourceFile, name: string): string | undefined {
  let value: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) {
      if (node.initializer && ts.isStringLiteralLike(node.initializer)) value = node.initializer.text;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return value;
}

/** The function a registration wrapper such as `const reg = (id, …) => registerCommand(id, …)` is assigned to. */
function wrapperName(param: ts.Identifier): string | undefined {
  let fn: ts.Node | undefined = param.parent;
  while (fn && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isFunctionDeclaration(fn)) fn = fn.parent;
  if (
    !fn ||
    !(fn as ts.FunctionLikeDeclaration).parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === param.text)
  ) {
    return undefined;
  }
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  return ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
}

/**
 * The string values an argument stands for: a literal, a `const` of the same file, or the parameter of a wrapper
 * function whose calls in that file pass literals. Throws, naming the place, for anything else.
 */
function argumentStrings(file: ts.SourceFile, arg: ts.Expression | undefined, what: string): string[] {
  if (arg && ts.isStringLiteralLike(arg)) return [arg.text];
  if (arg && ts.isIdentifier(arg)) {
    const constant = constString(file, arg.text);
    if (constant !== undefined) return [constant];
    const wrapper = wrapperName(arg);
    if (wrapper !== undefined) {
      const viaWrapper = calls(file).filter((c) => ts.isIdentifier(c.expression) && c.expression.text === wrapper);
      if (viaWrapper.length > 0) return viaWrapper.flatMap((c) => argumentStrings(file, c.arguments[0], what));
    }
  }
  throw new Error(`${where(arg ?? file)}: cannot read the ${what} here; pass a string literal or a const of this file`);
}

function registeredCommands(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of sources) {
    for (const call of calls(file)) {
      if (calleeName(call) !== 'registerCommand') continue;
      for (const id of argumentStrings(file, call.arguments[0], 'command id')) {
        assert.ok(!ids.has(id), `${id} is registered twice: ${ids.get(id)} and ${where(call)}`);
        ids.set(id, where(call));
      }
    }
  }
  return ids;
}

/** Context keys the code sets with `executeCommand('setContext', key, value)`. */
function contextKeysSet(): Set<string> {
  const keys = new Set<string>();
  for (const file of sources) {
    for (const call of calls(file)) {
      const [first, second] = call.arguments;
      if (
        calleeName(call) === 'executeCommand' &&
        first &&
        ts.isStringLiteralLike(first) &&
        first.text === 'setContext'
      ) {
        for (const key of argumentStrings(file, second, 'context key')) keys.add(key);
      }
    }
  }
  return keys;
}

/** Every `when` clause of the manifest with where it is. */
function whenClauses(): { at: string; when: string }[] {
  const found: { at: string; when: string }[] = [];
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'when' && typeof v === 'string') found.push({ at, when: v });
        else visit(v, `${at}.${k}`);
      }
    }
  };
  visit(contributes, 'contributes');
  return found;
}

/** The context keys a `when` clause reads: each operand's left side (`key`, `!key`, `key == value`, `key =~ /re/`). */
function keysOf(when: string): string[] {
  return when
    .split(/&&|\|\|/)
    .map((term) => term.replace(/[()]/g, '').trim().replace(/^!\s*/, ''))
    .map((term) => term.split(/\s*(?:===?|!==?|=~|<=?|>=?|\s+not in\s+|\s+in\s+)\s*/)[0].trim())
    .filter((key) => key !== '' && key !== 'true' && key !== 'false');
}

test('contributes.commands are exactly the registered commands (internal ones apart)', () => {
  const declared = contributes.commands.map((c: { command: string }) => c.command);
  assert.equal(new Set(declared).size, declared.length, 'a command is declared twice in package.json');
  const registered = registeredCommands();
  const missing = declared.filter((id: string) => !registered.has(id));
  assert.deepEqual(missing, [], 'declared in package.json contributes.commands but never registered');
  const undeclared = [...registered.keys()].filter((id) => !declared.includes(id) && !INTERNAL_COMMANDS.has(id));
  assert.deepEqual(undeclared, [], 'registered but not declared in package.json (nor listed as internal here)');
  for (const id of INTERNAL_COMMANDS) assert.ok(registered.has(id), `internal command ${id} is no longer registered`);
});

/** VS Code's own commands that the manifest links to (the walkthrough link of the Clips view's welcome). */
const BUILT_IN_COMMANDS = ['workbench.action.openWalkthrough'];

test('menus and welcome links name declared commands', () => {
  const declared = new Set([...contributes.commands.map((c: { command: string }) => c.command), ...BUILT_IN_COMMANDS]);
  for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) assert.ok(declared.has(item.command), `menus.${menu}: ${item.command} is not declared`);
  }
  for (const view of contributes.viewsWelcome as { contents: string }[]) {
    for (const [, id] of view.contents.matchAll(/\(command:([\w.]+)/g)) {
      assert.ok(declared.has(id), `viewsWelcome: ${id} is not declared`);
    }
  }
});

test('every context key a when clause reads is set by the code or by VS Code', () => {
  const set = contextKeysSet();
  const clauses = whenClauses();
  assert.ok(clauses.length > 0);
  for (const { at, when } of clauses) {
    for (const key of keysOf(when)) {
      assert.ok(set.has(key) || BUILT_IN_CONTEXT_KEYS.has(key), `${at}: "${when}" reads ${key}, which nothing sets`);
    }
  }
});

test('keysOf reads the keys of every operator form', () => {
  assert.deepEqual(keysOf('view == rvos.clips && !rvos.datasetOpen || (a.b =~ /x/ && c != 1) && d in e'), [
    'view',
    'rvos.datasetOpen',
    'a.b',
    'c',
    'd',
  ]);
});

/** Where each `rvos.*` setting lands in parseConfig's result. A setting parseConfig does not read fails the test. */
const SETTING_FIELDS: Record<string, (c: RvosConfig) => unknown> = {
  'rvos.datasetPath': (c) => c.datasetPath,
  'rvos.overlay.opacity': (c) => c.overlay.opacity,
  'rvos.overlay.mode': (c) => c.overlay.mode,
  'rvos.overlay.showGroundTruth': (c) => c.overlay.showGt,
  'rvos.overlay.showPrediction': (c) => c.overlay.showPred,
  'rvos.overlay.groundTruthColor': (c) => c.overlay.gtColor,
  'rvos.overlay.predictionColor': (c) => c.overlay.predColor,
  'rvos.viewer.fps': (c) => c.fps,
  'rvos.viewer.prefetchFrames': (c) => c.prefetchFrames,
  'rvos.model.path': (c) => c.inference.modelPath,
  'rvos.inference.executionProvider': (c) => c.inference.executionProvider,
  'rvos.inference.threads': (c) => c.inference.threads,
  'rvos.inference.cacheResults': (c) => c.inference.cacheResults,
  'rvos.annotationsFile': (c) => c.annotationsFile,
  'rvos.openFirstClipOnStart': (c) => c.openFirstClipOnStart,
};

interface SettingSchema {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}
const settings = Object.entries(contributes.configuration.properties as Record<string, SettingSchema>);

/** parseConfig as VS Code would drive it with only `key` set to `value` (the section is `rvos`, keys lack it). */
function parsedWith(key: string, value: unknown): unknown {
  const values: Record<string, unknown> = value === undefined ? {} : { [key.replace(/^rvos\./, '')]: value };
  return SETTING_FIELDS[key](parseConfig({ get: <T>(k: string) => values[k] as T | undefined }));
}

test('every contributed setting is read by parseConfig', () => {
  assert.deepEqual(settings.map(([key]) => key).sort(), Object.keys(SETTING_FIELDS).sort());
});

test('parseConfig falls back to the manifest default when a setting is unset or of the wrong type', () => {
  for (const [key, schema] of settings) {
    assert.deepEqual(parsedWith(key, undefined), schema.default, `${key}: unset`);
    const wrongType = schema.type === 'string' ? 42 : 'not a ' + schema.type;
    assert.deepEqual(parsedWith(key, wrongType), schema.default, `${key}: set to ${JSON.stringify(wrongType)}`);
    if (schema.enum) {
      assert.ok(schema.enum.includes(schema.default), `${key}: default not among its enum`);
      for (const allowed of schema.enum) assert.equal(parsedWith(key, allowed), allowed, `${key}: ${String(allowed)}`);
      assert.equal(parsedWith(key, 'no such value'), schema.default, `${key}: a value outside its enum`);
    }
  }
});

test('parseConfig clamps numbers to the manifest minimum and maximum', () => {
  const numeric = settings.filter(([, s]) => s.type === 'number' || s.type === 'integer');
  assert.ok(numeric.length > 0);
  for (const [key, schema] of numeric) {
    assert.ok(schema.minimum !== undefined && schema.maximum !== undefined, `${key}: declare a minimum and a maximum`);
    assert.equal(parsedWith(key, schema.minimum), schema.minimum, `${key}: at its minimum`);
    assert.equal(parsedWith(key, schema.maximum), schema.maximum, `${key}: at its maximum`);
    assert.equal(parsedWith(key, schema.minimum - 1), schema.minimum, `${key}: below its minimum`);
    assert.equal(parsedWith(key, schema.maximum + 1), schema.maximum, `${key}: above its maximum`);
    if (schema.type === 'integer')
      assert.ok(Number.isInteger(parsedWith(key, schema.minimum + 0.6)), `${key}: not an integer`);
  }
});
