// audio_alloc.child.js — run by audio_events.test.js with a 1 MiB young
// generation: 200k render quanta of the source processor with a latency
// hint and events (a gain and a MIDI-like event sent every few quanta) must
// trigger no scavenge; a control loop allocating 32 bytes a quantum must.
// Prints { quanta, events, scavenges, control } as JSON.
import { PerformanceObserver } from 'node:perf_hooks';
import { createRingSourceNode } from '../../dist/index.js';
import { fakeAudio, quantumPlanes } from './audio_fake_scope.js';
import { planesAt } from './audio_util.js';

const fake = fakeAudio({ countCalls: false });
globalThis.AudioWorkletNode = fake.AudioWorkletNode;
const { node, ring } = await createRingSourceNode(fake.context, { events: true, latencyHint: 'balanced', prefillFrames: 128 });
const p = node.processor;
const writer = ring.writer;
const events = ring.events;
const out = [quantumPlanes(2)];
const none = [];
const block = planesAt(0, 4096, 2);
const payload = new Uint8Array([0x90, 60, 100]);

let scavenges = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === 1) scavenges++; // a minor GC (NODE_PERFORMANCE_GC_MINOR)
});
obs.observe({ entryTypes: ['gc'] });

function run(quanta, extra) {
  let sent = 0;
  for (let q = 0; q < quanta; q++) {
    if (ring.framesAvailable < 1024) writer.write(block);
    if ((q & 7) === 0) sent += events.gain((q & 8) === 0 ? 0.5 : 1, ring.framesRead + 64) ? 1 : 0;
    if ((q & 15) === 0) sent += events.send(300, 1, ring.framesRead + 3, payload) ? 1 : 0;
    p.process(none, out, null);
    if (extra) extra.push(new Float64Array(2)); // the control: 32 bytes or so a quantum
    if (extra && extra.length > 64) extra.length = 0;
  }
  return sent;
}

run(20_000); // warm up: every path compiled, every view made
globalThis.gc();
await new Promise((r) => setTimeout(r, 50));
scavenges = 0;
const sent = run(200_000);
await new Promise((r) => setTimeout(r, 50));
const measured = scavenges;
scavenges = 0;
run(200_000, []);
await new Promise((r) => setTimeout(r, 50));
obs.disconnect();
console.log(JSON.stringify({ quanta: 200_000, events: sent, scavenges: measured, control: scavenges }));
process.exit(0);
