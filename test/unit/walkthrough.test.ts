// The walkthrough (contributes.walkthroughs): every step's buttons and completion events name commands the extension
// contributes and registers, its media files ship in media/, and together the steps cover the first hour's path.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: {
    commands: { command: string }[];
    walkthroughs: { id: string; steps: Step[] }[];
    viewsWelcome: { contents: string }[];
  };
};

/** Every command id the extension's sources register. */
function registeredCommands(): Set<string> {
  const ids = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts'))
        for (const m of readFileSync(p, 'utf8').matchAll(/registerCommand\(\s*'([^']+)'|reg\(\s*'([^']+)'/g))
          ids.add(m[1] ?? m[2]);
    }
  };
  walk(join(ROOT, 'src'));
  return ids;
}

const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
const registered = registeredCommands();
const [walkthrough] = pkg.contributes.walkthroughs;

test('walkthrough: one, with the steps open a dataset, run YOFO, find the worst expression, compare runs', () => {
  assert.equal(pkg.contributes.walkthroughs.length, 1);
  assert.deepEqual(
    walkthrough.steps.map((s) => s.title),
    ['Open a dataset', 'Run YOFO', 'Find the worst expression', 'Compare runs'],
  );
});

test('walkthrough: every button and completion event names a contributed, registered command; media files exist', () => {
  for (const step of walkthrough.steps) {
    const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.ok(buttons.length > 0, `step ${step.id} has no button`);
    const events = (step.completionEvents ?? [])
      .filter((e) => e.startsWith('onCommand:'))
      .map((e) => e.slice('onCommand:'.length));
    for (const id of [...buttons, ...events]) {
      assert.ok(contributed.has(id), `step ${step.id}: ${id} is not in contributes.commands`);
      assert.ok(registered.has(id), `step ${step.id}: ${id} is never registered in src/`);
    }
    assert.ok(step.media.markdown, `step ${step.id} has no markdown media`);
    const file = join(ROOT, step.media.markdown);
    assert.ok(existsSync(file), `step ${step.id}: ${step.media.markdown} is missing`);
    assert.match(readFileSync(file, 'utf8'), /^# /, `${step.media.markdown} has no title`);
  }
});

test('the Clips view welcome links to this walkthrough by its full id', () => {
  const link = `${pkg.publisher}.${pkg.name}#${walkthrough.id}`;
  const welcome = pkg.contributes.viewsWelcome.map((v) => v.contents).join('\n');
  const m = /command:workbench\.action\.openWalkthrough\?([^)]+)\)/.exec(welcome);
  assert.ok(m, 'no walkthrough link in the Clips view welcome');
  assert.deepEqual(JSON.parse(decodeURIComponent(m[1])), [link]);
});
