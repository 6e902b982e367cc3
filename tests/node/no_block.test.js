// On a thread that may not block (a browser's main thread, an AudioWorklet:
// Atomics.wait throws there), every blocking call -- readSync, writeSync,
// recvSync, sendSync, waitForRoomSync -- fails at the call with a TypeError
// that names the async form to use, even when it would not have had to wait,
// and moves nothing; the async forms work on that thread.  The thread is a
// worker whose Atomics.wait throws as a browser's main thread's does (see
// no_block.worker.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { AudioRing, MessagePipe, RingBuffer } from '../../dist/index.js';
import { within } from './fault_util.js';

/** The next message of `worker` with `at` (or a fatal one). */
function next(worker, at) {
  return new Promise((resolve, reject) => {
    const on = (m) => {
      if (m.at !== at && m.at !== 'fatal') return;
      worker.off('message', on);
      if (m.at === 'fatal') reject(new Error(m.error));
      else resolve(m);
    };
    worker.on('message', on);
    worker.once('error', reject);
  });
}

test('blocking calls fail at the call on a thread that may not block, naming the async form; the async forms work there', { timeout: 30_000 }, async () => {
  const bytes = new RingBuffer(64);
  bytes.producer.tryWrite(Uint8Array.of(1, 2, 3));
  const empty = RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 });
  const pipe = MessagePipe.create({ capacity: 64 });
  pipe.sender.trySend('still here');
  pipe.sender.dispose(); // the worker's to claim
  bytes.producer.dispose();
  const audio = AudioRing.create({ channels: 1, capacityFrames: 16, peerTimeoutMs: 0 });
  audio.writer.write([new Float32Array(12)]); // 4 frames free
  audio.writer.dispose(); // the worker's to claim
  const worker = new Worker(new URL('./no_block.worker.js', import.meta.url), {
    workerData: { bytes: bytes.handle, empty: empty.handle, pipe: pipe.handle, audio: audio.handle },
  });
  try {
    const { out } = await within(next(worker, 'waiting'), 10_000, 'the worker');
    const refused = (call, asyncForm) => {
      const r = out[call];
      assert.equal(r.value, undefined, `${call} ran: ${JSON.stringify(r)}`);
      assert.equal(r.error.name, 'TypeError', `${call}: ${r.error.message}`);
      assert.match(r.error.message, new RegExp(`\\.${call}: this thread may not block .*; use ${asyncForm.replace(/[()]/g, '\\$&')} here`));
    };
    refused('readSync', 'read()');
    refused('writeSync', 'write()');
    refused('recvSync', 'recv()');
    refused('sendSync', 'send()');
    refused('waitForRoomSync', 'waitForRoom()');
    assert.equal(out.emptyReadSync.error.name, 'TypeError', 'not the engine\'s error from the wait it would have made');
    assert.match(out.emptyReadSync.error.message, /^Consumer\.readSync: this thread may not block .*; use read\(\) here, or call readSync in a Worker$/);
    assert.deepEqual(out.left, { bytes: 3, message: 'still here' }, 'the refused calls moved nothing');
    assert.equal(bytes.available, 3);

    // The worker's read() and waitForRoom(8) are waiting (waitAsync): wake them.
    empty.producer.tryWrite(Uint8Array.of(4, 5));
    assert.equal(audio.reader.read([new Float32Array(16)]), 12);
    const done = await within(next(worker, 'done'), 10_000, 'the async forms');
    assert.deepEqual(done.got, [4, 5]);
    assert.equal(done.roomFrames, 16);
  } finally {
    await worker.terminate();
  }
});
