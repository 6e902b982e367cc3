// Types of the liveness pieces (worker/liveness.js), re-exported by ring.d.ts.

/** peerTimeoutMs when none is given: 5000. */
export declare const DEFAULT_PEER_TIMEOUT_MS: number;

/** How often a held role's heartbeat moves (ms), and the longest slice of a watched wait: 250. */
export declare const HEARTBEAT_MS: number;

/**
 * The other side of the ring has been silent -- no heartbeat, no data moved,
 * not closed -- for at least peerTimeoutMs while this side waited for it
 * (a read on an empty ring, a write on a full one): its thread ended (a
 * terminated or crashed Worker) or hangs.  Nothing was lost: every byte it
 * committed was delivered before this error; what it had reserved and not
 * committed was never visible.
 *
 * A held role beats every HEARTBEAT_MS on its thread's timer (and at each
 * slice of a blocking wait; the AudioWorklet nodes once per render quantum).
 * So a holder whose thread blocks its event loop longer than peerTimeoutMs
 * without moving data (a long synchronous computation, a debugger pause, a
 * hidden tab's main thread whose timers the browser throttles to one a
 * minute, a suspended AudioContext) looks gone too: raise peerTimeoutMs for
 * such a peer, or pass 0 to turn the watch off.  A free role (not claimed
 * yet, or given up with dispose()) is never "gone": the waiter waits for its
 * next holder.
 */
export declare class PeerGoneError extends Error {
  readonly name: 'PeerGoneError';
  /** The role that went silent. */
  readonly role: 'producer' | 'consumer';
  /** How long it was silent, as this side watched it (ms). */
  readonly silentMs: number;
  /** The limit it passed. */
  readonly peerTimeoutMs: number;
}

/** Options of a claim: how to take a role whose holder died. */
export interface ClaimOptions {
  /**
   * Take the role even though another instance holds it, provided that its
   * holder stays silent (no heartbeat, no data moved) for `staleMs` while
   * this claim watches.  A holder heard from meanwhile is alive: the claim
   * rejects with an Error.  For "the previous owner crashed and never
   * released" -- a live owner gives its role up with dispose().
   */
  takeOver?: boolean;
  /** With takeOver: how long the holder must stay silent. Default: peerTimeoutMs (5000 if that is off). */
  staleMs?: number;
}

/** The option of create()/attach() that sets how long a silent peer is tolerated. */
export interface PeerTimeoutOptions {
  /**
   * How long (ms) the other side may stay silent while this side waits for
   * it before the wait fails with PeerGoneError.  Default 5000
   * (DEFAULT_PEER_TIMEOUT_MS); 0 or Infinity: wait forever.
   */
  peerTimeoutMs?: number;
}
