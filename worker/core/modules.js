// modules.js — the three kinds' modules, each made on first use, so a bundle
// that uses one kind carries only that kind's bytes.
import BYTES_HEX from '../../build/wasm/rbs-bytes.hex.js';
import MESSAGES_HEX from '../../build/wasm/rbs-messages.hex.js';
import AUDIO_HEX from '../../build/wasm/rbs-audio.hex.js';
import { AUDIO_ENTRIES, BYTES_ENTRIES, MESSAGES_ENTRIES } from '../../build/wasm/entries.js';
import { describe } from './checks.js';
import { Wasm } from './wasm.js';

let bytes = null;
let messages = null;
let audio = null;

export const bytesWasm = () => (bytes ??= new Wasm('byte rings', BYTES_ENTRIES, BYTES_HEX));
export const messagesWasm = () => (messages ??= new Wasm('message pipes', MESSAGES_ENTRIES, MESSAGES_HEX));
export const audioWasm = () => (audio ??= new Wasm('audio rings', AUDIO_ENTRIES, AUDIO_HEX));

function wasmOf(kind, where) {
  if (kind === 'bytes') return bytesWasm();
  if (kind === 'messages') return messagesWasm();
  if (kind === 'audio') return audioWasm();
  throw new TypeError(`${where}: kind must be 'bytes', 'messages' or 'audio'; got ${describe(kind)}`);
}

/** This thread's compiled module for `kind` ('bytes' | 'messages' | 'audio'), compiled once. */
export async function compileModule(kind = 'bytes') {
  return wasmOf(kind, 'compileModule').moduleSync('compileModule');
}

/** The module's bytes for `kind` (a copy); every kind's module formats rings of any kind (rbs_wasm_init). */
export function moduleBytes(kind = 'bytes') {
  return wasmOf(kind, 'moduleBytes').bytes('moduleBytes');
}
