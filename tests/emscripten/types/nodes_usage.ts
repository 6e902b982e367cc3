// Type-checks the page side of "From an Emscripten program" (README) against
// dist/*.d.ts: attaching a C-made audio ring and playing it on a source node.
import { AudioRing, audioScratchSize, createRingSinkNode, createRingSourceNode } from 'ring-buffer-safe';

declare const Module: { wasmMemory: WebAssembly.Memory; _synth_ring_offset(s: number): number };
declare const context: AudioContext;

export async function play(offset: number, scratchOffset: number, channels: number, frames: number): Promise<AudioWorkletNode> {
  const ring = await AudioRing.attach({ memory: Module.wasmMemory, offset, scratchOffset, scratchSize: audioScratchSize(channels, frames) });
  const { node, ring: same } = await createRingSourceNode(context, { ring, prefillFrames: 512 });
  const n: number = same.capacityFrames;
  void n;
  const sink = await createRingSinkNode(context, { ring: AudioRing.create({ channels: 2, capacityFrames: 8192 }) });
  void sink.node;
  // @ts-expect-error channels is the ring's own with { ring }
  await createRingSourceNode(context, { ring, channels: 2 });
  // @ts-expect-error the ring must be an AudioRing, not its handle
  await createRingSourceNode(context, { ring: ring.handle });
  return node;
}
