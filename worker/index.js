// ring-buffer-safe — a lock-free SPSC ring in a shared WebAssembly.Memory:
// each thread runs its own instance of one small C module over the same memory.
export { RingBuffer, Producer, Consumer } from './ring.js';
export { RingBufferError, strerror } from './errors.js';
export { PeerGoneError, DEFAULT_PEER_TIMEOUT_MS, HEARTBEAT_MS } from './liveness.js';
export { RING_OFFSET } from './region.js';
export { createSharedMemory, getModule as compileModule, instantiate, moduleBytes } from './wasm.js';
export * as layout from './layout.js';
export { AudioWriter, AudioReader } from './audio.js';
export { createRingSourceNode, createRingSinkNode, addRingWorkletModule, workletSource } from './audio_nodes.js';
export { MessagePipe, MessageSender, MessageReceiver } from './pipe.js';
