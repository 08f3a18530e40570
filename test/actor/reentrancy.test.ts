import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReentrancyError, type Server } from '../../src/actor/index.js';
import { manualRuntime, outcome } from './helpers.js';

describe('Reentrancy', () => {
  it('fails A → B → A at once, naming the chain, and leaves both servers healthy', async () => {
    const { runtime } = manualRuntime();
    const a: Server<number> = runtime.spawn({ group: 'Character', key: 'a', state: 0 });
    const b: Server<number> = runtime.spawn({ group: 'Machine', key: 'b', state: 0 });
    const result = await outcome(
      a.call((turnA) =>
        b.call((turnB) => a.call(() => 'never', { chain: turnB.chain }), { chain: turnA.chain }),
      ),
    );
    assert.ok(!result.ok && result.error instanceof ReentrancyError);
    const error = result.error as ReentrancyError;
    assert.match(error.message, /Character a → Machine b → Character a/);
    assert.deepEqual(error.chain, ['Character a', 'Machine b', 'Character a']);
    assert.equal(error.category, 'framework');
    assert.equal(a.status, 'idle');
    assert.equal(b.status, 'idle');
    assert.equal(runtime.stats().crashed, 0);
    assert.equal(await a.call(() => 'still serving'), 'still serving');
  });

  it('fails a call from a turn back into its own server', async () => {
    const { runtime } = manualRuntime();
    const a: Server<number> = runtime.spawn({ group: 'G', key: 'a', state: 0 });
    const result = await outcome(a.call((turn) => a.call(() => 1, { chain: turn.chain })));
    assert.ok(!result.ok && result.error instanceof ReentrancyError);
    assert.deepEqual((result.error as ReentrancyError).chain, ['G a', 'G a']);
  });

  it('allows a chain that does not come back (A → B → C)', async () => {
    const { runtime } = manualRuntime();
    const [a, b, c] = ['a', 'b', 'c'].map((key) => runtime.spawn({ group: 'G', key, state: key }));
    const result = await a!.call((ta) =>
      b!.call((tb) => c!.call((tc) => tc.chain.toString(), { chain: tb.chain }), { chain: ta.chain }),
    );
    assert.equal(result, 'G a → G b → G c');
  });
});
