// How the throughput lane wakes the two sides of a ringbuf.js ring.
// ringbuf.js 0.4.0 itself never waits: it only answers "0 written" or "0
// read".  A user who wants a producer on the page and a blocking consumer in
// a Worker adds what this file adds, the same scheme ring_buffer_safe uses
// inside: a side announces that it waits, and the other side notifies only
// then, so a busy ring costs no notify calls.
//
// ringbuf.js keeps write_ptr and read_ptr as the first two uint32 of its
// SharedArrayBuffer (see its constructor); an Int32Array over those 8 bytes
// lets Atomics.wait/waitAsync sleep on them.  A second small
// SharedArrayBuffer holds the flags below.

export const WRITE_PTR = 0; // index in the Int32Array over the ring's first 8 bytes
export const READ_PTR = 1;

export const PRODUCER_WAITING = 0; // 1 while the page waits for space (on READ_PTR)
export const CONSUMER_WAITING = 1; // 1 while the Worker waits for data (on WAKE)
export const WAKE = 2; // bumped by the producer to wake the consumer: new data, or done
export const DONE = 3; // 1 once the producer has pushed its last byte
export const FLAG_COUNT = 4;

/** The byte at stream position `pos`: a pattern with period 251 (prime, so it never lines up with the ring's size). */
export const PATTERN_PERIOD = 251;
export function patternByte(pos) {
    return pos % PATTERN_PERIOD;
}
