import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asExpression,
  isUserExpId,
  normalizeExpressionText,
  UserExpressions,
  type StateStore,
} from '../../src/host/clipViewer/userExpressions';

/** A Memento-like store that keeps a JSON copy, as VS Code's workspace state does. */
function memoryStore(initial: Record<string, unknown> = {}): StateStore & { data: Record<string, unknown> } {
  const data = JSON.parse(JSON.stringify(initial)) as Record<string, unknown>;
  return {
    data,
    get: <T>(key: string) => data[key] as T | undefined,
    update: async (key: string, value: unknown) => {
      data[key] = JSON.parse(JSON.stringify(value));
    },
  };
}

const clipA = { datasetRoot: '/data/ryvos', split: 'train', videoId: 'vidA' };
const clipB = { datasetRoot: '/data/ryvos/', split: 'train', videoId: 'vidB' };

test('added expressions get user ids, are kept per clip, and the same text is not added twice', async () => {
  const store = memoryStore();
  const users = new UserExpressions(store);
  const first = await users.add(clipA, '  the  red   square ');
  assert.deepEqual(first, { expId: 'user-1', text: 'the red square' });
  assert.deepEqual(await users.add(clipA, 'the red square'), first);
  const second = await users.add(clipA, 'a circle on the left');
  assert.equal(second.expId, 'user-2');
  await users.add(clipB, 'elsewhere');
  assert.deepEqual(
    users.list(clipA).map((e) => e.text),
    ['the red square', 'a circle on the left'],
  );
  assert.deepEqual(
    users.list(clipB).map((e) => e.expId),
    ['user-1'],
  );
  // Another instance over the same state (a reload) sees them; the dataset root is compared resolved.
  assert.deepEqual(new UserExpressions(store).list({ ...clipA, datasetRoot: '/data/ryvos/' }), users.list(clipA));
  await assert.rejects(users.add(clipA, '   '), /type an expression/);
});

test('remove and link; ids are not reused after a removal; unknown ids change nothing', async () => {
  const users = new UserExpressions(memoryStore());
  await users.add(clipA, 'one');
  await users.add(clipA, 'two');
  assert.equal(await users.link(clipA, 'user-2', '3'), true);
  assert.deepEqual(users.list(clipA)[1], { expId: 'user-2', text: 'two', objId: '3' });
  assert.deepEqual(asExpression(users.list(clipA)[1]), { expId: 'user-2', text: 'two', objId: '3' });
  assert.equal(await users.link(clipA, 'user-2', undefined), true);
  assert.deepEqual(users.list(clipA)[1], { expId: 'user-2', text: 'two' });
  assert.equal(await users.remove(clipA, 'user-1'), true);
  assert.equal(await users.remove(clipA, 'user-1'), false);
  assert.equal(await users.link(clipA, 'user-9', '1'), false);
  assert.equal((await users.add(clipA, 'three')).expId, 'user-3');
  await users.remove(clipA, 'user-2');
  await users.remove(clipA, 'user-3');
  assert.deepEqual(users.list(clipA), []);
});

test('a damaged stored state is read as far as it is valid', () => {
  const store = memoryStore({
    'rvos.userExpressions': {
      [JSON.stringify(['/data/ryvos', 'train', 'vidA'])]: [
        { expId: 'user-1', text: 'ok' },
        { expId: '0', text: 'not a user id' },
        { text: 'no id' },
        'junk',
      ],
      other: 'not a list',
    },
  });
  assert.deepEqual(new UserExpressions(store).list(clipA), [{ expId: 'user-1', text: 'ok' }]);
  assert.deepEqual(new UserExpressions(memoryStore({ 'rvos.userExpressions': 42 })).list(clipA), []);
});

test('ids and text normalisation', () => {
  assert.ok(isUserExpId('user-4'));
  assert.equal(isUserExpId('4'), false);
  assert.equal(normalizeExpressionText('\ta  b\n c '), 'a b c');
});
