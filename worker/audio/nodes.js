// nodes.js — AudioWorkletNodes over audio rings, for the main thread:
//   createRingSourceNode(context, opts) -> { node, ring }  ring -> speakers
//   createRingSinkNode(context, opts)   -> { node, ring }  input -> ring
// The node's processor (worklet.js) holds one role of the ring with its own
// wasm instance; the other role is the caller's: ring.writer / ring.reader
// here, or ring.handle posted to a Worker that attaches its own AudioRing.
//
// Loading the worklet needs no URL to configure: the bundle embeds worklet.js
// as text and addModule gets a Blob URL of it, so the package works from
// node_modules under any bundler.  A page whose Content-Security-Policy
// forbids blob: scripts passes options.workletURL (the package's
// "ring-buffer-safe/worklet" file) instead.
import WORKLET_SOURCE from './worklet.js' with { type: 'text' };
import * as L from '../../build/wasm/layout.js';
import { claimForProcessor } from '../core/channel.js';
import { checkCount, checkOptions, describe } from '../core/checks.js';
import { errorFor } from '../core/errors.js';
import { ROLE_WORDS, checkPeerTimeout } from '../core/roles.js';
import { audioWasm } from '../core/modules.js';
import { EVENT_RECORDS } from './events.js';
import { DEFAULT_LATENCY_HINT, capacityForHint, hintMs } from './latency.js';
import { AudioRing, checkChannels } from './ring.js';

export const RENDER_QUANTUM_FRAMES = 128;
export const DEFAULT_PREFILL_FRAMES = 256; // two render quanta
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

// What a failed addModule means, nearly always: the page's CSP.
function loadError(e, url, where) {
  const from = url === undefined ? 'a blob: URL of the bundled worklet' : `workletURL ${url}`;
  return new Error(
    `${where}: the AudioWorklet module did not load from ${from} (${e?.name}: ${e?.message}). ` +
      (url === undefined
        ? "If the page has a Content-Security-Policy, allow blob: in script-src, or pass options.workletURL: the package's worklet file, e.g. " +
          "import workletURL from 'ring-buffer-safe/worklet?url&no-inline' with Vite"
        : 'Check that the URL serves the package\'s dist/worklet.js as JavaScript and that the CSP allows it') +
      "; compiling the ring's wasm also needs 'wasm-unsafe-eval' in script-src.",
    { cause: e },
  );
}

/**
 * Registers ring-buffer-source and ring-buffer-sink in `context` (once per
 * context; later calls return the same promise).  Without `url`, from a Blob
 * of the embedded source; with it, from that URL.
 */
export function addRingWorkletModule(context, url) {
  return load(context, url, 'addRingWorkletModule');
}

// The one addModule per context; a failure is reported to each caller under
// its own name, and forgotten so that a later call may retry.
function load(context, url, where) {
  checkContext(context, where);
  if (url !== undefined && typeof url !== 'string' && !(url instanceof URL))
    throw new TypeError(`${where}: url must be a string or URL of the package's worklet.js; got ${describe(url)}`);
  let p = loaded.get(context);
  if (!p) {
    if (url === undefined) {
      const blobUrl = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'text/javascript' }));
      p = context.audioWorklet.addModule(blobUrl).finally(() => URL.revokeObjectURL(blobUrl));
    } else p = context.audioWorklet.addModule(String(url));
    p = p.catch((e) => {
      loaded.delete(context);
      throw e;
    });
    loaded.set(context, p);
  }
  return p.catch((e) => {
    throw loadError(e, url, where);
  });
}

/** The factories' options with defaults filled in; with options.ring, the
 *  ring's own shape, checked for a node. */
function nodeOptions(options, where, withPrefill, sampleRate) {
  const source = withPrefill ? ', prefillFrames?, latencyHint?, events?, processorName?' : '';
  const o = checkOptions(options, where, `{ ring?, channels?, capacityFrames?${source}, workletURL?, peerTimeoutMs? }`);
  const ring = o.ring === undefined ? undefined : checkRing(o, where);
  const channels = ring ? ring.channels : o.channels === undefined ? 2 : checkChannels(o.channels, where);
  // A new source ring adapts its fill ('balanced' unless told); an existing ring keeps its own unless told.
  const latencyHint = withPrefill ? (o.latencyHint ?? (ring ? undefined : DEFAULT_LATENCY_HINT)) : undefined;
  if (latencyHint !== null && latencyHint !== undefined) hintMs(latencyHint, where);
  const fits = latencyHint ? capacityForHint(latencyHint, sampleRate, where) : 0; // room for the hint's maximum
  const capacityFrames = ring ? ring.capacityFrames : (o.capacityFrames ?? Math.max(DEFAULT_CAPACITY_FRAMES, fits));
  const max = Math.floor(L.RBS_MAX_CAPACITY / (4 * channels));
  const name = ring ? 'options.ring.capacityFrames' : 'options.capacityFrames';
  checkCount(capacityFrames, where, name, RENDER_QUANTUM_FRAMES, max, ' (the ring must hold at least one 128-frame render quantum)');
  let prefillFrames = 0;
  if (withPrefill) {
    prefillFrames = o.prefillFrames ?? Math.min(DEFAULT_PREFILL_FRAMES, capacityFrames);
    checkCount(prefillFrames, where, 'options.prefillFrames', 0, capacityFrames, ` (at most ${name})`);
  }
  if (!ring) checkPeerTimeout(o.peerTimeoutMs, where); // before anything loads, naming the factory
  const processorName = o.processorName ?? 'ring-buffer-source';
  if (typeof processorName !== 'string')
    throw new TypeError(`${where}: options.processorName must be the name a subclass of RingSourceProcessor was registered under; got ${describe(processorName)}`);
  return { ring, channels, capacityFrames, prefillFrames, workletURL: o.workletURL, peerTimeoutMs: o.peerTimeoutMs, latencyHint, events: o.events, processorName };
}

// options.ring: an AudioRing of this thread (made here, or attached to one a
// C program or another thread made), whose shape and timeout are its own.
function checkRing(o, where) {
  if (!(o.ring instanceof AudioRing))
    throw new TypeError(
      `${where}: options.ring must be an AudioRing of this thread (AudioRing.create, or AudioRing.attach of one ` +
        `another thread or a C program made); got ${describe(o.ring)}`,
    );
  for (const k of ['channels', 'capacityFrames', 'peerTimeoutMs', 'events'])
    if (o[k] !== undefined)
      throw new TypeError(
        `${where}: options.${k} cannot be given with options.ring: the ring's own ${k === 'peerTimeoutMs' ? 'peerTimeoutMs (set by AudioRing.attach) applies' : k === 'events' ? 'event ring (AudioRing.create options.events) applies' : `${k} (${o.ring[k]}) applies`}`,
      );
  return o.ring;
}

// A ring records one sample rate and nothing resamples it.
function checkRate(ring, context, where) {
  if (ring.sampleRate !== context.sampleRate)
    throw new RangeError(
      `${where}: options.ring records ${ring.sampleRate} frames per second but the context runs at ${context.sampleRate}; ` +
        'nothing is resampled: make the ring at the context\'s sampleRate',
    );
}

// The processor reports a failure once through its port; the node turns it
// into a 'ringerror' event whose `error` names it.
function forwardErrors(node, frames) {
  node.port.addEventListener('message', (e) => {
    const d = e.data;
    if (!d || d.type !== 'error') return;
    const error =
      d.code === -1
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
function makeNode(context, name, ring, role, init, prefillFrames, where) {
  const token = claimForProcessor(ring, role, where);
  try {
    const r = ring._region;
    const node = new AudioWorkletNode(context, name, {
      ...init,
      processorOptions: {
        memory: r.memory,
        module: ring.handle.module,
        ring: r.ring,
        geo: r.geo,
        stride: ring.capacityFrames,
        staging: ring._staging(role),
        prefillFrames,
        closedCode: L.RBS_ECLOSED,
        beat: r.ring + ROLE_WORDS[role].beat,
        events: role === 'consumer' ? eventOptions(ring, where) : null,
      },
    });
    forwardErrors(node, ring.capacityFrames);
    return node;
  } catch (e) {
    ring._roles.release(role, token);
    throw e;
  }
}

// The event ring's side for the processor, which takes its receiver role.
function eventOptions(ring, where) {
  const e = ring._events;
  if (e === null) return null;
  claimForProcessor(e.pipe, 'consumer', where);
  const r = e.pipe._region;
  return { ring: r.ring, geo: r.geo, records: e.records, capacity: EVENT_RECORDS, beat: r.ring + ROLE_WORDS.consumer.beat };
}

/**
 * An AudioWorkletNode ('ring-buffer-source', one output of `channels`) that
 * plays an audio ring, and the ring, whose writer role is the caller's
 * (ring.writer here, a Worker, or a C program).  The node plays silence
 * until `prefillFrames` frames (default two render quanta, or the whole
 * ring if smaller) were once waiting; after that, missing frames play as silence and count as underruns.
 * options: { channels = 2, capacityFrames = 4096, prefillFrames = 256,
 * workletURL?, peerTimeoutMs? } for a new ring at the context's sample rate,
 * or { ring, prefillFrames?, workletURL? } to play an existing AudioRing of
 * this thread (for one a C program made in its own heap: AudioRing.attach({
 * memory, offset, scratchOffset, scratchSize })), whose reader role must be
 * free and whose sampleRate must be the context's.  The processor holds the
 * reader role and beats once per render quantum.
 * The source also takes latencyHint (the adaptive fill's bounds:
 * 'interactive' | 'balanced' | 'playback' | milliseconds | null for none;
 * default 'balanced' for a new ring, whose default capacity then grows to
 * hold the hint's maximum), events (a new ring's event ring: true or its
 * bytes; ring.events sends sample-accurate events) and processorName (a
 * registered subclass of the worklet scope's globalThis.RingSourceProcessor).
 */
export async function createRingSourceNode(context, options = {}) {
  const where = 'createRingSourceNode';
  checkContext(context, where);
  const o = nodeOptions(options, where, true, context.sampleRate);
  if (o.ring) checkRate(o.ring, context, where);
  await Promise.all([load(context, o.workletURL, where), Promise.resolve().then(() => audioWasm().moduleSync(where))]);
  const ring =
    o.ring ??
    AudioRing.create({
      channels: o.channels,
      capacityFrames: o.capacityFrames,
      sampleRate: context.sampleRate,
      peerTimeoutMs: o.peerTimeoutMs,
      latencyHint: o.latencyHint ?? undefined,
      events: o.events,
    });
  if (o.ring && o.latencyHint !== undefined) o.ring.setLatencyHint(o.latencyHint);
  const init = { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [o.channels] };
  const node = makeNode(context, o.processorName, ring, 'consumer', init, o.prefillFrames, where);
  return { node, ring };
}

/**
 * An AudioWorkletNode ('ring-buffer-sink', one input mixed to exactly
 * `channels`, no output) that writes every render quantum of its input into
 * an audio ring (silence while nothing is connected), and the ring, whose
 * reader role is the caller's.  Frames that do not fit count as overruns.
 * options: { channels = 2, capacityFrames = 4096, workletURL?, peerTimeoutMs? }
 * for a new ring, or { ring, workletURL? } for an existing AudioRing of this
 * thread whose writer role is free (sample rate as for the source node).
 */
export async function createRingSinkNode(context, options = {}) {
  const where = 'createRingSinkNode';
  checkContext(context, where);
  const o = nodeOptions(options, where, false, context.sampleRate);
  if (o.ring) checkRate(o.ring, context, where);
  await Promise.all([load(context, o.workletURL, where), Promise.resolve().then(() => audioWasm().moduleSync(where))]);
  const ring = o.ring ?? AudioRing.create({ channels: o.channels, capacityFrames: o.capacityFrames, sampleRate: context.sampleRate, peerTimeoutMs: o.peerTimeoutMs });
  const init = { numberOfInputs: 1, numberOfOutputs: 0, channelCount: o.channels, channelCountMode: 'explicit', channelInterpretation: 'discrete' };
  const node = makeNode(context, 'ring-buffer-sink', ring, 'producer', init, 0, where);
  return { node, ring };
}
