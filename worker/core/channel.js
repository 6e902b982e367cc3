// channel.js — what RingBuffer, MessagePipe and AudioRing share: making a ring
// (create) or opening one another thread made (attach), its handle, its two
// roles handed out as endpoint objects once claimed, and whether each role's
// holder is alive.  A subclass names its kind, its endpoint classes and the
// names of its two roles, and formats its own kind of ring.
import { describe, checkOptions } from './checks.js';
import { requireSharedMemory } from './env.js';
import { Region } from './region.js';
import { DEFAULT_PEER_TIMEOUT_MS, Roles, checkPeerTimeout, newToken } from './roles.js';

/** Passed by the package to a Channel constructor (users call create/attach). */
export const INTERNAL = Symbol('ring-buffer-safe internal');

export class Channel {
  #region;
  #roles;
  #token = newToken();
  #timeout;
  #ends = { producer: null, consumer: null };

  // A subclass sets: static apiName (its class name, for messages: a
  // minifier renames classes), static kind (RBS_KIND_*), static wasm (its
  // module, core/modules.js), static roleNames ({ producer: 'sender',
  // consumer: 'receiver' }), static endpoints ({ producer: Class, consumer:
  // Class }), static createShape (for messages), and static format(options,
  // where) -> Region.

  /** @private use create() or attach() */
  constructor(key, region, peerTimeoutMs) {
    if (key !== INTERNAL) {
      const name = new.target.apiName;
      throw new TypeError(`${name} is not constructed directly: use ${name}.create(options) or .attach(handle)`);
    }
    this.#region = region;
    this.#roles = new Roles(region);
    this.#timeout = peerTimeoutMs;
  }

  /** A new ring of this kind; options as the subclass documents, plus peerTimeoutMs. */
  static create(options) {
    const where = `${this.apiName}.create`;
    requireSharedMemory(where);
    const o = checkOptions(options, where, this.createShape, true);
    const timeout = checkPeerTimeout(o.peerTimeoutMs, where);
    return new this(INTERNAL, this.format(o, where), timeout);
  }

  /**
   * Opens, in this thread, a ring from the handle another thread posted (or
   * { memory, offset } of one C code made), with this thread's own wasm
   * instance.  options: { peerTimeoutMs? }.
   */
  static async attach(handle, options) {
    return this.open(handle, options, `${this.apiName}.attach`);
  }

  /** attach() without awaiting (compiles synchronously if the handle brings no module). */
  static attachSync(handle, options) {
    return this.open(handle, options, `${this.apiName}.attachSync`);
  }

  /** @protected */
  static open(handle, options, where) {
    const o = checkOptions(options, where, '{ peerTimeoutMs? }');
    const timeout = checkPeerTimeout(o.peerTimeoutMs, where);
    return new this(INTERNAL, Region.open(handle, this.kind, this.wasm, where), timeout, handle, where);
  }

  /** Data bytes of the ring (a power of two). */
  get capacity() {
    return this.#region.capacity;
  }

  get memory() {
    return this.#region.memory;
  }

  /** Byte offset of the ring's region in `memory`. */
  get offset() {
    return this.#region.ring;
  }

  /** Post it once to the other thread, which passes it to attach(). */
  get handle() {
    return this.#region.handle;
  }

  /** How long a wait tolerates a silent other side (Infinity: forever). */
  get peerTimeoutMs() {
    return this.#timeout;
  }

  /** True once the producer closed the ring. */
  get closed() {
    return this.#region.closed(`${this.constructor.apiName}.closed`);
  }

  /** @protected the ring as this thread sees it */
  get _region() {
    return this.#region;
  }

  /** @protected the role words (for endpoints and the audio nodes) */
  get _roles() {
    return this.#roles;
  }

  /** @protected the endpoint of `role`, claimed for this object on first use */
  _endpoint(role, where) {
    return this.#ends[role] ?? this.#claimNow(role, where);
  }

  #claimNow(role, where) {
    this.#roles.claim(role, this.#token, where, { onLost: () => this.#ends[role]?._lost() });
    return this.#make(role);
  }

  #make(role) {
    const End = this.constructor.endpoints[role];
    return (this.#ends[role] = new End(this, role, this.#region, this.#token, this.#timeout));
  }

  /** @protected an endpoint gave its role up or lost it */
  _dropped(end) {
    for (const role of ['producer', 'consumer']) if (this.#ends[role] === end) this.#ends[role] = null;
  }

  /**
   * Claims a role by the name of its getter and resolves with its endpoint, as
   * the getter does.  With { takeOver: true } a role held by another instance
   * is taken if its holder stays silent (no heartbeat, no data moved) for
   * `staleMs` (default: peerTimeoutMs, or 5000 if that is off) while this
   * watches: for a holder whose thread ended without dispose().  A holder
   * heard from meanwhile is alive: the claim rejects with RBS_EBUSY.
   */
  async claim(name, options) {
    const where = `${this.constructor.apiName}.claim`;
    const names = this.constructor.roleNames;
    const role = Object.keys(names).find((r) => names[r] === name);
    if (role === undefined)
      throw new TypeError(`${where}: role must be '${names.producer}' or '${names.consumer}'; got ${describe(name)}`);
    const o = checkOptions(options, where, '{ takeOver?, staleMs? }');
    if (this.#ends[role]) return this.#ends[role];
    if (!o.takeOver) return this.#claimNow(role, where);
    const staleMs =
      o.staleMs === undefined
        ? this.#timeout === Infinity
          ? DEFAULT_PEER_TIMEOUT_MS
          : this.#timeout
        : checkPeerTimeout(o.staleMs, where, 'options.staleMs');
    if (staleMs === Infinity)
      throw new RangeError(`${where}: options.staleMs must be a finite number of milliseconds for a takeOver; got ${o.staleMs}`);
    await this.#roles.takeOver(role, this.#token, where, staleMs, { onLost: () => this.#ends[role]?._lost() });
    return this.#ends[role] ?? this.#make(role);
  }

  /** Gives up the roles this object holds; it may claim them again later. */
  dispose() {
    this.#ends.producer?.dispose();
    this.#ends.consumer?.dispose();
  }

  /** @protected whether `role` is held and was heard from within peerTimeoutMs */
  _alive(role) {
    return this.#roles.alive(role, this.#timeout);
  }
}

/** Claims `role` of `channel` for an AudioWorklet processor, which beats in
 *  process() (no timer here); returns the token to give back on failure. */
export function claimForProcessor(channel, role, where) {
  const token = newToken();
  channel._roles.claim(role, token, where, { beat: false });
  return token;
}
