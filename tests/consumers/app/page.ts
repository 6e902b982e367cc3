// The page of the app every bundler fixture builds (esbuild, Vite, the
// TypeScript check): bytes page -> Worker, messages Worker -> page, audio
// Worker -> AudioWorklet -> a sink node -> page, each checked here; the
// outcome goes to window.result for the test runner.
import { createRingSinkNode, createRingSourceNode, MessagePipe, RingBuffer } from 'ring-buffer-safe';
import { startWorker, workletURL } from './setup.js';
import { BYTES, FRAMES, MESSAGES, byteAt, frameValue } from './spec.js';

declare global {
  interface Window {
    result?: unknown;
  }
}

async function main(): Promise<Record<string, unknown>> {
  const worker = startWorker();
  const done = new Promise<{ bytesOk: boolean; bytes: number }>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ bytesOk: boolean; bytes: number }>) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
  });

  const bytes = RingBuffer.create({ capacity: 1 << 16 });
  const pipe = MessagePipe.create({ capacity: 1 << 12 });
  const context = new AudioContext();
  const options = workletURL === undefined ? {} : { workletURL };
  const { node, ring: audio } = await createRingSourceNode(context, { channels: 2, ...options });
  const { node: sinkNode, ring: heard } = await createRingSinkNode(context, { channels: 2, capacityFrames: 1 << 15, ...options });
  node.connect(sinkNode); // what the source plays comes back through the sink
  node.connect(context.destination);
  await context.resume();
  worker.postMessage({ bytes: bytes.handle, pipe: pipe.handle, audio: audio.handle });

  const data = new Uint8Array(BYTES);
  for (let i = 0; i < BYTES; i++) data[i] = byteAt(i);
  const sending = bytes.producer.write(data).then(() => bytes.producer.close());

  let messagesOk = true;
  let messages = 0;
  const receiving = (async () => {
    for (let m = await pipe.receiver.recvText(); m !== null; m = await pipe.receiver.recvText())
      if (m !== `message ${messages++}`) messagesOk = false;
  })();

  // Frames come back with silence wherever the source had nothing yet: each
  // written frame must arrive once, in order, exact.
  let frames = 0;
  let framesOk = true;
  const left = new Float32Array(1024);
  const right = new Float32Array(1024);
  const until = performance.now() + 20_000;
  while (frames < FRAMES && performance.now() < until) {
    const k = heard.reader.read([left, right]);
    if (!k) {
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    for (let i = 0; i < k; i++) {
      if (left[i] === 0 && right[i] === 0) continue;
      if (left[i] !== frameValue(frames) || right[i] !== -frameValue(frames)) framesOk = false;
      frames++;
    }
  }
  await Promise.all([sending, receiving]);
  const fromWorker = await done;
  await context.close();
  const ok = fromWorker.bytesOk && fromWorker.bytes === BYTES && messagesOk && messages === MESSAGES && framesOk && frames === FRAMES;
  return { ok, ...fromWorker, messages, messagesOk, frames, framesOk, underruns: audio.underruns };
}

main().then(
  (r) => (window.result = r),
  (e: unknown) => (window.result = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
);
