// audio_nodes.js — AudioWorkletNodes over audio rings, for the main thread:
//   createRingSourceNode(context, opts) -> { node, writer }  ring -> speakers
//   createRingSinkNode(context, opts)   -> { node, reader }  input -> ring
// The writer/reader stays with the caller or its handle goes to a Worker,
// which attaches its own AudioWriter/AudioReader; the node's processor (in
// worker/worklet.js) is the ring's other side, with its own wasm instance.
//
// Loading the worklet without a URL to configure: the bundle embeds
// worklet.js as text (esbuild's `with { type: 'text' }`) and addModule gets a
// Blob URL of it.  So the package works from node_modules under any bundler,
// and from a plain <script type=module>, with no asset to copy.  A page whose
// Content-Security-Policy forbids blob: scripts passes options.workletURL
// (the package's dist/worklet.js, "ring-buffer-safe/worklet") instead.
import WORKLET_SOURCE from './worklet.js' with { type: 'text' };
import * as L from './layout.js';
import { checkCount, describe, errorFor } from './errors.js';
import { newToken } from './region.js';
import { getModule } from './wasm.js';
import {
  AudioReader,
  AudioWriter,
  checkChannels,
  claimRoleOf,
  releaseRoleOf,
  roleScratch,
  scratchLayout,
} from './audio.js';

export const RENDER_QUANTUM_FRAMES = 128;
export const DEFAULT_PREFILL_FRAMES = 2 * RENDER_QUANTUM_FRAMES;
export const DEFAULT_CAPACITY_FRAMES = 4096;

const loaded = new WeakMap(); // BaseAudioContext -> Promise of its addModule

/** The worklet module's source: what addRingWorkletModule loads. */
export function workletSource() {
  return WORKLET_SOURCE;
}

function checkContext(context, where) {
  if (typeof context !== 'object' || context === null || typeof context.audioWorklet?.addModule !== 'function')
    throw new TypeError(
      `${where}: context must be an AudioContext or OfflineAudioContext with audioWorklet ` +
        `(a secure, cross-origin isolated page); got ${describe(context)}`,
    );
}

/**
 * Registers ring-buffer-source and ring-buffer-sink in `context` (once per
 * context; later calls return the same promise).  Without `url`, from a Blob
 * of the embedded source; with it, from that URL (e.g. the package's
 * dist/worklet.js, for pages whose CSP forbids blob: URLs).
 */
export function addRingWorkletModule(context, url) {
  const where = 'addRingWorkletModule';
  checkContext(context, where);
  if (url !== undefined && typeof url !== 'string' && !(url instanceof URL))
    throw new TypeError(`${where}: url must be a string or URL of the package's worklet.js; got ${describe(url)}`);
  let p = loaded.get(context);
  if (p) return p;
  if (url === undefined) {
    const blobUrl = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'text/javascript' }));
    p = context.audioWorklet.addModule(blobUrl).finally(() => URL.revokeObjectURL(blobUrl));
  } else {
    p = context.audioWorklet.addModule(String(url));
  }
  loaded.set(context, p);
  p.catch(() => loaded.delete(context)); // a failed load may be retried
  return p;
}

/** Checks the factories' options; returns them with defaults filled in. */
function nodeOptions(options, where, withPrefill) {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `${where}: options must be an object { channels?, capacityFrames?${withPrefill ? ', prefillFrames?' : ''}, workletURL?, peerTimeoutMs? }; got ${describe(options)}`,
    );
  const channels = options.channels === undefined ? 2 : checkChannels(options.channels, where);
  const capacityFrames =
    options.capacityFrames === undefined ? DEFAULT_CAPACITY_FRAMES : options.capacityFrames;
  checkCount(
    capacityFrames,
    where,
    'options.capacityFrames',
    RENDER_QUANTUM_FRAMES,
    Math.floor(L.RBS_MAX_CAPACITY / (4 * channels)),
    ' (the ring must hold at least one 128-frame render quantum)',
  );
  let prefillFrames = 0;
  if (withPrefill) {
    prefillFrames = options.prefillFrames === undefined ? DEFAULT_PREFILL_FRAMES : options.prefillFrames;
    checkCount(prefillFrames, where, 'options.prefillFrames', 0, capacityFrames, ' (at most options.capacityFrames)');
  }
  // peerTimeoutMs is checked by AudioWriter/AudioReader.create.
  return { channels, capacityFrames, prefillFrames, workletURL: options.workletURL, peerTimeoutMs: options.peerTimeoutMs };
}

/** What the processor needs to make its instance and use `role`'s scratch. */
function processorOptions(end, role, prefillFrames) {
  const channels = end.channels;
  const frames = end.capacityFrames;
  const { ptrBytes, roleBytes } = scratchLayout(channels, frames);
  const ptrs = roleScratch(end.scratchOffset, roleBytes, role);
  return {
    memory: end.memory,
    module: end.handle.module,
    offset: end.offset,
    channels,
    frames,
    ptrs,
    data: ptrs + ptrBytes,
    prefillFrames,
    closedCode: L.RBS_ECLOSED,
    // The processor's role's heartbeat word (byte address): it moves once per
    // process(), so the other side sees the node alive while the context runs.
    beat: end.offset + (role === 'producer' ? L.RBS_OFF_PRODUCER_HEARTBEAT : L.RBS_OFF_CONSUMER_HEARTBEAT),
  };
}

// The processor reports a failure once through its port; the node turns it
// into a 'ringerror' event whose `error` names it (see worklet.js).
function forwardErrors(node, frames) {
  node.port.addEventListener('message', (e) => {
    const d = e.data;
    if (!d || d.type !== 'error') return;
    const error =
      d.code === L.RBS_EINVAL
        ? new RangeError(`${d.processor}: the render quantum is larger than the ring's ${frames} frames; the node is silent`)
        : errorFor(d.code, d.processor);
    const event = new Event('ringerror');
    event.error = error;
    node.dispatchEvent(event);
  });
  node.port.start();
}

// Claims `role` for the processor (so no other reader/writer can take it),
// then makes the node; gives the claim back if that fails.
function makeNode(context, name, end, role, nodeInit, prefillFrames, where) {
  const token = newToken();
  claimRoleOf(end, role, token, where);
  try {
    const node = new AudioWorkletNode(context, name, {
      ...nodeInit,
      processorOptions: processorOptions(end, role, prefillFrames),
    });
    forwardErrors(node, end.capacityFrames);
    return node;
  } catch (e) {
    releaseRoleOf(end, role, token);
    throw e;
  }
}

/**
 * An AudioWorkletNode ('ring-buffer-source', one output of `channels`) that
 * plays a new audio ring, and the AudioWriter that fills it (use it here, or
 * post writer.handle to a Worker that attaches its own AudioWriter).  The
 * node plays silence until `prefillFrames` frames (default two render quanta)
 * were once waiting; after that, missing frames play as silence and count as
 * underruns.  options: { channels = 2, capacityFrames = 4096, prefillFrames =
 * 256, workletURL?, peerTimeoutMs? }; the ring's sample rate is the context's.
 * The processor holds the ring's consumer role and beats once per render
 * quantum: writer.consumerAlive turns false when the context stops running
 * (suspended or closed) for peerTimeoutMs.
 */
export async function createRingSourceNode(context, options = {}) {
  const where = 'createRingSourceNode';
  checkContext(context, where);
  const o = nodeOptions(options, where, true);
  await Promise.all([addRingWorkletModule(context, o.workletURL), getModule()]);
  const writer = AudioWriter.create({
    channels: o.channels,
    capacityFrames: o.capacityFrames,
    sampleRate: context.sampleRate,
    peerTimeoutMs: o.peerTimeoutMs,
  });
  const init = {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [o.channels],
  };
  const node = makeNode(context, 'ring-buffer-source', writer, 'consumer', init, o.prefillFrames, where);
  return { node, writer };
}

/**
 * An AudioWorkletNode ('ring-buffer-sink', one input mixed to exactly
 * `channels`, no output) that writes every render quantum of its input into a
 * new audio ring (silence while nothing is connected), and the AudioReader
 * that empties it (here, or post reader.handle to a Worker).  Frames that do
 * not fit count as overruns.  options: { channels = 2, capacityFrames = 4096,
 * workletURL?, peerTimeoutMs? }.  The processor holds the producer role and
 * beats once per render quantum (reader.producerAlive).
 */
export async function createRingSinkNode(context, options = {}) {
  const where = 'createRingSinkNode';
  checkContext(context, where);
  const o = nodeOptions(options, where, false);
  await Promise.all([addRingWorkletModule(context, o.workletURL), getModule()]);
  const reader = AudioReader.create({
    channels: o.channels,
    capacityFrames: o.capacityFrames,
    sampleRate: context.sampleRate,
    peerTimeoutMs: o.peerTimeoutMs,
  });
  const init = {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: o.channels,
    channelCountMode: 'explicit',
    channelInterpretation: 'discrete',
  };
  const node = makeNode(context, 'ring-buffer-sink', reader, 'producer', init, 0, where);
  return { node, reader };
}
