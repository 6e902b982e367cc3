// Not part of tsconfig.json: ring_types.test.js compiles it on purpose to see
// that tsc reports the error (a number is not binary data).
import { RingBuffer } from 'ring-buffer-safe';

new RingBuffer(64).producer.tryWrite(42);
