// The Jupyter messaging wire protocol (v5.3) over ZeroMQ multipart frames:
// [identities..., "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers...]
// https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

const DELIM = Buffer.from('<IDS|MSG>');
export const PROTOCOL_VERSION = '5.3';

/**
 * Signs, verifies, parses and builds messages for one kernel session.
 * `key` and `scheme` come from the connection file (scheme 'hmac-sha256'; an empty key disables signing).
 */
export class Wire {
  /** @param {string} key @param {string} [scheme] */
  constructor(key, scheme = 'hmac-sha256') {
    const m = /^hmac-(.+)$/.exec(scheme);
    if (!m) throw new Error(`unsupported signature_scheme ${scheme}`);
    this.key = key;
    this.algorithm = m[1];
    this.session = randomUUID();
  }

  /** @param {Buffer[] | string[]} parts */
  sign(parts) {
    if (!this.key) return '';
    const h = createHmac(this.algorithm, this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /**
   * Parse and verify raw frames. Throws on a bad signature or a malformed message.
   * @param {Buffer[]} frames
   */
  parse(frames) {
    const at = frames.findIndex((f) => f.equals(DELIM));
    if (at < 0 || frames.length < at + 6) throw new Error('malformed message: no <IDS|MSG> delimiter or missing parts');
    const ids = frames.slice(0, at);
    const signature = frames[at + 1].toString();
    const parts = frames.slice(at + 2, at + 6);
    if (this.key) {
      const want = Buffer.from(this.sign(parts));
      const got = Buffer.from(signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) throw new Error('invalid message signature');
    }
    const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p.toString() || '{}'));
    return { ids, header, parent_header, metadata, content, buffers: frames.slice(at + 6) };
  }

  /**
   * Frames for a new message.
   * @param {string} msg_type
   * @param {object} content
   * @param {{ parent?: object, ids?: Buffer[], metadata?: object }} [opts]
   */
  frames(msg_type, content, opts = {}) {
    const header = {
      msg_id: randomUUID(),
      session: this.session,
      username: 'kernel',
      date: new Date().toISOString(),
      msg_type,
      version: PROTOCOL_VERSION,
    };
    const parts = [header, opts.parent ?? {}, opts.metadata ?? {}, content].map((o) => JSON.stringify(o));
    return [...(opts.ids ?? []), DELIM, this.sign(parts), ...parts];
  }
}

/**
 * Serialise sends on one zeromq socket: zeromq.js allows one send in flight per socket.
 * Returns a function `send(frames)` that queues and never throws (errors are reported to `onError`).
 * @param {{ send(frames: (Buffer|string)[]): Promise<void> }} socket
 * @param {(e: unknown) => void} onError
 */
export function sendQueue(socket, onError) {
  let tail = Promise.resolve();
  const send = (frames) => {
    tail = tail.then(() => socket.send(frames)).catch(onError);
    return tail;
  };
  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  send.drained = () => tail;
  return send;
}
