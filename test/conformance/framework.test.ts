import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DataLayer, memoryDataLayer } from '../../src/index.js';
import { runDataLayerConformance } from '../../src/testing.js';

/** Registers the suite with a stand-in framework, returning each test body by its full name. */
function collect(dataLayer: () => DataLayer): Map<string, () => Promise<void>> {
  const tests = new Map<string, () => Promise<void>>();
  const path: string[] = [];
  runDataLayerConformance({
    name: 'stand-in',
    dataLayer,
    describe: (name, fn) => {
      path.push(name);
      fn();
      path.pop();
    },
    it: (name, fn) => void tests.set([...path, name].join(' > '), fn),
  });
  return tests;
}

const CREATE = 'stand-in: TimeTravel > the original data-layer tests > create stores the record';

describe('runDataLayerConformance with another framework', () => {
  it('registers every test through the describe and it it is given, under the run name', () => {
    const tests = collect(() => memoryDataLayer());
    assert.ok(tests.size >= 30, `${tests.size} tests`);
    const groups = new Set([...tests.keys()].map((name) => name.split(' > ')[0]));
    assert.deepEqual([...groups].sort(), [
      'stand-in: TimeTravel',
      'stand-in: action lifecycle',
      'stand-in: bulk and read actions',
      'stand-in: queries',
      'stand-in: storage',
    ]);
    assert.ok(tests.has(CREATE));
  });

  it('a registered test passes on a working layer', async () => {
    await collect(() => memoryDataLayer()).get(CREATE)!();
  });

  it("a test fails when its domain's data layer cannot stop", async () => {
    const brokenStop = () => {
      const layer = memoryDataLayer();
      layer.stop = () => Promise.reject(new Error('the layer would not stop'));
      return layer;
    };
    await assert.rejects(collect(brokenStop).get(CREATE)!(), /the layer would not stop/);
  });
});
