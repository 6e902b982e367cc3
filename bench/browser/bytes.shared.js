// bytes.shared.js — what the page (bytes.page.js) and the consumer Worker
// (bytes.worker.js) of the page-to-Worker benchmark agree on.

/** The byte at stream position p is p % PERIOD: a prime period never lines
 *  up with a ring's size or a chunk, so a lost, repeated or shifted byte shows. */
export const PERIOD = 251;

/** Chunk sizes (bytes per write call, and the consumer's read buffer). */
export const CHUNKS = [16, 1024, 65536];

/** The same ring capacity for both impls: room for four chunks, at least 64 KiB. */
export const capacityFor = (chunk) => Math.max(65536, 4 * chunk);

// Words of the control SharedArrayBuffer (Int32Array indices); the stream's
// end position and the consumer's count are doubles (Float64Array indices).
export const READY = 0; // consumer: run `seq` has started, I am polling
export const STOP = 1; // page: run `seq` has ended at END
export const DONE = 2; // consumer: run `seq` done, RECEIVED and ERRORS set
export const ERRORS = 3;
export const END = 2; // Float64Array index (bytes 16..23)
export const RECEIVED = 3; // Float64Array index (bytes 24..31)
export const CONTROL_BYTES = 32;
