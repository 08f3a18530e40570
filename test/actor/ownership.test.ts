import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Server, type Turn } from '../../src/actor/index.js';
import { manualRuntime, outcome } from './helpers.js';

const ACTOR_DIR = fileURLToPath(new URL('../../src/actor/', import.meta.url));

/**
 * Fields the deadline wheel keeps on every entry it schedules (see `WheelEntry`): the one place
 * where a file writes fields of objects it does not define, by design (no allocation per entry).
 */
const WHEEL_FIELDS = new Set(['_tick', '_slot']);

const ASSIGN = String.raw`(?:=(?![=>])|[-+*/%]=|\?\?=|\|\|=|&&=|\+\+|--)`;

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/**
 * The assignments in `source` to a field of another object: an underscore (internal) field of
 * anything but `this`, or any field of something named `server`. Each is returned as written,
 * `receiver.field`.
 */
function foreignWrites(source: string): string[] {
  const code = stripComments(source);
  const found = new Map<number, string>();
  const patterns = [
    new RegExp(String.raw`\??\.(_[\w$]+)\s*${ASSIGN}`, 'g'), // x._field = ..., x._field++
    /(?<=(?:\+\+|--)[ \t]*[\w$.?()]+)\.(_[\w$]+)/g, // ++x._field
    new RegExp(String.raw`(?<=\bserver)\??\.([\w$]+)\s*${ASSIGN}`, 'g'), // server.anything = ...
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      let receiver = /[\w$.?()[\]]*$/.exec(code.slice(0, match.index))![0];
      // `(this.x ??= y)`: an opening parenthesis of the enclosing expression is not the receiver's.
      while (receiver.split('(').length > receiver.split(')').length) receiver = receiver.slice(1);
      if (receiver === 'this' || found.has(match.index)) continue;
      found.set(match.index, `${receiver}.${match[1]!}`);
    }
  }
  return [...found.values()];
}

describe('Server owns its fields', () => {
  it('the scan finds writes to another object’s fields, and only those', () => {
    const bad = [
      'server._key = key;',
      'server._restarts ??= [];',
      '  turn.server._phase = 2;',
      'core.servers.get(k)._running = null;',
      'server._config.core._closing ||= true;',
      'x._count++;',
      '++x._count;',
      'server.state = 1;',
    ].join('\n');
    assert.deepEqual(foreignWrites(bad).sort(), [
      'core.servers.get(k)._running',
      'server._config.core._closing',
      'server._key',
      'server._restarts',
      'server.state',
      'turn.server._phase',
      'x._count',
      'x._count',
    ]);
    const fine = [
      'this._slot = -1;',
      'const same = server._key === key;',
      'if (server._phase !== 2) return;',
      '// server._key = key; (a comment)',
      '/** server._state = next */',
      'counters.queued--;',
      'call._state => 1;',
      'server.touch();',
    ].join('\n');
    assert.deepEqual(foreignWrites(fine), []);
  });

  it('no file of src/actor but server.ts writes a server field, nor any other object’s internal field, bar the wheel’s bookkeeping', () => {
    const files = readdirSync(ACTOR_DIR).filter((f) => f.endsWith('.ts') && f !== 'server.ts');
    assert.ok(files.length > 5, `read ${ACTOR_DIR}`);
    const offences: string[] = [];
    for (const file of files) {
      const source = readFileSync(join(ACTOR_DIR, file), 'utf8');
      for (const write of foreignWrites(source)) {
        const field = write.slice(write.lastIndexOf('.') + 1);
        if (file === 'deadline-wheel.ts' && WHEEL_FIELDS.has(field)) continue;
        offences.push(`${file}: ${write}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it('a server’s only own properties are the wheel’s, through crash, restart, expiry and stop', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      inactivityTimeout: 100,
      restart: { from: 'initial' },
      onExpire: (_server, _reason, turn) => {
        turn.commit(turn.state + 1);
        turn.server.touch();
      },
    });
    const own = () => Object.getOwnPropertyNames(server).sort();
    assert.deepEqual(own(), ['_slot', '_tick']);
    await server.call((turn: Turn<number>) => turn.commit(5));
    await outcome(
      server.call(() => {
        throw new Error('boom');
      }),
    );
    assert.equal(server.state, 0, 'restarted from initial');
    await clock.advance(150);
    assert.equal(server.state, 1, 'expired once');
    runtime.registry.rekey(server, 'k2');
    assert.equal(server.key, 'k2');
    server.snapshot();
    await server.stop();
    assert.deepEqual(own(), ['_slot', '_tick']);
  });

  it('no accessor of Server has a setter', () => {
    const proto = Server.prototype as object;
    const setters = Object.entries(Object.getOwnPropertyDescriptors(proto))
      .filter(([, d]) => d.set !== undefined)
      .map(([name]) => name);
    assert.deepEqual(setters, []);
  });
});
