// ring-buffer-safe — a lock-free SPSC ring in a shared WebAssembly.Memory:
// each thread runs its own instance of one small C module over the same memory.
// First, so the modules' hex strings open the bundle: gzip packs them apart from the code.
export { compileModule, moduleBytes } from './core/modules.js';
export { RingBuffer, Producer, Consumer } from './bytes/ring.js';
export { MessagePipe, MessageSender, MessageReceiver } from './msg/pipe.js';
export { AudioRing, AudioWriter, AudioReader, audioScratchSize, DEFAULT_SAMPLE_RATE } from './audio/ring.js';
export { AudioEvents, EVENT_RECORDS, DEFAULT_EVENT_CAPACITY } from './audio/events.js';
export { LATENCY_HINTS, DEFAULT_LATENCY_HINT } from './audio/latency.js';
export {
  createRingSourceNode,
  createRingSinkNode,
  addRingWorkletModule,
  workletSource,
  RENDER_QUANTUM_FRAMES,
  DEFAULT_PREFILL_FRAMES,
  DEFAULT_CAPACITY_FRAMES,
} from './audio/nodes.js';
export { RingBufferError, PeerGoneError, strerror } from './core/errors.js';
export { Channel } from './core/channel.js';
export { Endpoint } from './core/endpoint.js';
export { DEFAULT_PEER_TIMEOUT_MS, MIN_PEER_TIMEOUT_MS } from './core/roles.js';
export { HEARTBEAT_MS } from './core/heartbeat.js';
export { RING_OFFSET } from './core/region.js';
export { createSharedMemory } from './core/wasm.js';
export { layout } from '../build/wasm/layout.js';
