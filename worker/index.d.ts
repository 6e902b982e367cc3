// ring-buffer-safe: a lock-free SPSC ring in a shared WebAssembly.Memory.
export * from './core.js';
export * from './ring.js';
export * from './pipe.js';
export * from './audio.js';
