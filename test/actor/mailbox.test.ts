import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Mailbox } from '../../src/actor/index.js';

describe('Mailbox', () => {
  it('hands items back first in, first out', () => {
    const mailbox = new Mailbox<number>(10);
    for (let i = 0; i < 5; i++) assert.equal(mailbox.enqueue(i), true);
    assert.deepEqual([mailbox.shift(), mailbox.shift()], [0, 1]);
    mailbox.enqueue(5);
    const rest: number[] = [];
    for (let item = mailbox.shift(); item !== undefined; item = mailbox.shift()) rest.push(item);
    assert.deepEqual(rest, [2, 3, 4, 5]);
    assert.equal(mailbox.length, 0);
  });

  it('refuses items past its bound and adds nothing', () => {
    const mailbox = new Mailbox<string>(2);
    assert.equal(mailbox.enqueue('a'), true);
    assert.equal(mailbox.enqueue('b'), true);
    assert.equal(mailbox.enqueue('c'), false);
    assert.equal(mailbox.length, 2);
    mailbox.shift();
    assert.equal(mailbox.enqueue('c'), true);
    assert.deepEqual(mailbox.drain(), ['b', 'c']);
  });

  it('force adds past the bound (for the runtime’s own turns)', () => {
    const mailbox = new Mailbox<string>(1);
    mailbox.enqueue('a');
    mailbox.force('expire');
    assert.equal(mailbox.length, 2);
    assert.deepEqual(mailbox.drain(), ['a', 'expire']);
  });

  it('removes an item from the middle and keeps the order of the rest', () => {
    const mailbox = new Mailbox<string>(10);
    for (const item of ['a', 'b', 'c']) mailbox.enqueue(item);
    assert.equal(mailbox.remove('b'), true);
    assert.equal(mailbox.remove('zzz'), false);
    assert.deepEqual(mailbox.drain(), ['a', 'c']);
    assert.equal(mailbox.shift(), undefined);
  });

  it('stays FIFO across compaction of a long queue', () => {
    const mailbox = new Mailbox<number>(10_000);
    for (let i = 0; i < 5000; i++) mailbox.enqueue(i);
    for (let i = 0; i < 3000; i++) assert.equal(mailbox.shift(), i);
    for (let i = 5000; i < 6000; i++) mailbox.enqueue(i);
    const rest = mailbox.drain();
    assert.equal(rest.length, 3000);
    assert.equal(rest[0], 3000);
    assert.equal(rest.at(-1), 5999);
  });
});
