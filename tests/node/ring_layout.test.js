// The header offsets and constants JS uses are C's: every numeric #define of
// rbs.h equals layout's export of the same name, and the compiled C writes the
// words where JS reads them.  The JS scratch words (named in rbs.h, used only by JS) overlap no C word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer, layout } from '../../dist/index.js';
import { headerConstants } from './rbs_header.js';

const C = headerConstants();

test('rbs.h parses to the constants this test relies on', () => {
  assert.equal(C.RBS_MAGIC, 0x31534252);
  assert.equal(C.RBS_EINVAL, -1);
  assert.equal(C.RBS_MAX_CAPACITY, 2 ** 30);
  assert.equal(C.RBS_OFF_DATA, C.RBS_HEADER_SIZE);
  assert.ok(Object.keys(C).length >= 50, `${Object.keys(C).length} constants`);
});

test('every numeric constant of rbs.h is in layout.js with the same value', () => {
  const missing = [];
  const wrong = [];
  for (const [name, value] of Object.entries(C)) {
    if (!(name in layout)) missing.push(name);
    else if (layout[name] !== value) wrong.push(`${name}: JS ${layout[name]}, C ${value}`);
  }
  assert.deepEqual(missing, [], 'in rbs.h but not in layout.js');
  assert.deepEqual(wrong, [], 'different values');
});

test('every RBS_ constant of layout.js is in rbs.h', () => {
  const extra = Object.keys(layout).filter((n) => n.startsWith('RBS_') && !(n in C));
  assert.deepEqual(extra, []);
});

test('the scratch words lie in their role\'s private line and overlap no C word', () => {
  const cWords = Object.entries(C)
    .filter(([n]) => n.startsWith('RBS_OFF_') && n !== 'RBS_OFF_DATA' && !n.endsWith('_SCRATCH'))
    .map(([, off]) => off);
  for (const [name, line] of [
    ['RBS_OFF_PRODUCER_SCRATCH', C.RBS_OFF_CACHED_READ],
    ['RBS_OFF_CONSUMER_SCRATCH', C.RBS_OFF_CACHED_WRITE],
  ]) {
    const start = layout[name];
    const end = start + layout.RBS_SCRATCH_SIZE;
    assert.ok(start >= line && end <= line + C.RBS_LINE_SIZE, `${name} inside the line at ${line}`);
    for (const w of cWords) assert.ok(w + 4 <= start || w >= end, `${name} overlaps the C word at ${w}`);
  }
  assert.ok(layout.RBS_SCRATCH_SIZE >= 16, 'room for rbs_span out[2] (two pointers, two lengths)');
});

test('the compiled C writes its header words at the offsets JS reads', async () => {
  const ring = new RingBuffer(1024);
  const u32 = new Uint32Array(ring.memory.buffer);
  const word = (off) => u32[(ring.offset + off) / 4];
  assert.equal(word(layout.RBS_OFF_MAGIC), layout.RBS_MAGIC);
  assert.equal(word(layout.RBS_OFF_ABI_VERSION), layout.RBS_ABI_VERSION);
  assert.equal(word(layout.RBS_OFF_HEADER_SIZE), layout.RBS_HEADER_SIZE);
  assert.equal(word(layout.RBS_OFF_CAPACITY), 1024);
  assert.equal(word(layout.RBS_OFF_KIND), layout.RBS_KIND_BYTES);
  assert.notEqual(word(layout.RBS_OFF_META_CHECK), 0);
  await ring.write(new Uint8Array(300).fill(7));
  assert.equal(word(layout.RBS_OFF_WRITE), 300);
  assert.equal(new Uint8Array(ring.memory.buffer)[ring.offset + layout.RBS_OFF_DATA + 299], 7);
  await ring.read(100);
  assert.equal(word(layout.RBS_OFF_READ), 100);
  assert.equal(word(layout.RBS_OFF_CACHED_WRITE), 300, 'the consumer cached the write counter it saw');
  assert.notEqual(word(layout.RBS_OFF_PRODUCER_OWNER), 0);
  assert.notEqual(word(layout.RBS_OFF_CONSUMER_OWNER), 0);
  const view = ring.producer.reserve(10);
  assert.equal(word(layout.RBS_OFF_RESERVED), 10);
  assert.equal(word(layout.RBS_OFF_PRODUCER_SCRATCH), view.byteOffset, 'out[0].ptr in the producer scratch');
  assert.equal(word(layout.RBS_OFF_PRODUCER_SCRATCH + 4), 10, 'out[0].len');
  ring.producer.commit(0);
  assert.equal(word(layout.RBS_OFF_CLOSED), 0);
  await ring.close();
  assert.equal(word(layout.RBS_OFF_CLOSED), 1);
});
