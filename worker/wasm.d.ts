// Types of the loader (worker/wasm.js) and the layout constants.

/** Where a ring starts in a memory the package creates for it. */
export declare const RING_OFFSET: number;

/** This thread's compiled module (compiled once). */
export declare function compileModule(): Promise<WebAssembly.Module>;

/** A fixed-size (never growing) shared memory of at least byteLength bytes. */
export declare function createSharedMemory(byteLength: number): WebAssembly.Memory;

/** The module's bytes (a copy). */
export declare function moduleBytes(): Uint8Array;

/** The C functions of rbs.h (but rbs_strerror), as this thread's instance exports them.
 *  Pointers are byte offsets in the memory; uint32 results come back signed (use >>> 0). */
export interface RbsExports {
  [name: `rbs_${string}`]: (...args: number[]) => number;
}

/** This thread's instance over `memory` (one per memory per thread, made on first use). */
export declare function instantiate(memory: WebAssembly.Memory, module?: WebAssembly.Module): RbsExports;

/** The numbers of core/include/rbs.h (RBS_OFF_*, RBS_KIND_*, RBS_E*, ...). */
export declare const layout: { readonly [name: string]: number | { readonly [code: number]: string } };
