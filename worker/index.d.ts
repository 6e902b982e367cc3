// ring-buffer-safe: a lock-free SPSC ring in a shared WebAssembly.Memory.
export * from './ring.js';
export * from './wasm.js';
export * from './audio.js';
export * from './pipe.js';
