import { createHash } from 'node:crypto';

/** Where an address was first seen in an import: the file's index in the report and its line. */
export interface FirstSeen {
  readonly file: number;
  readonly line: number;
}

/** Words per slot: a 96-bit digest of the address (3), the file index and the line. */
const WORDS = 5;
const MAX_LOAD = 0.7;

/**
 * The addresses an import has seen, to report in-file duplicates, in one typed array:
 * 20 bytes a slot (about 30 a row with the table's slack) and nothing for the garbage
 * collector to trace, where a Map of strings held over 100 bytes a row. An address is
 * known by 96 bits of its SHA-256: two different addresses of a 200,000-row file share
 * them with a probability near 10^-19.
 */
export class SeenAddresses {
  private slots: Uint32Array;
  private count = 0;

  constructor(initialSlots = 1 << 14) {
    this.slots = new Uint32Array(initialSlots * WORDS);
  }

  get size(): number {
    return this.count;
  }

  /** The memory the table holds. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** The first sighting of this address, or undefined after recording this one as the first. */
  firstOrRemember(email: string, at: FirstSeen): FirstSeen | undefined {
    const digest = createHash('sha256').update(email).digest();
    // The first word is never 0, so 0 marks an empty slot.
    const a = digest.readUInt32LE(0) | 1;
    const b = digest.readUInt32LE(4);
    const c = digest.readUInt32LE(8);
    const found = this.find(this.slots, a, b, c);
    const s = this.slots;
    if (s[found] !== 0) return { file: s[found + 3] as number, line: s[found + 4] as number };
    if ((this.count + 1) / (s.length / WORDS) > MAX_LOAD) {
      this.grow();
      return this.firstOrRemember(email, at);
    }
    s[found] = a;
    s[found + 1] = b;
    s[found + 2] = c;
    s[found + 3] = at.file;
    s[found + 4] = at.line;
    this.count++;
    return undefined;
  }

  /** The slot (word offset) holding this digest, or the empty slot where it belongs (linear probing). */
  private find(s: Uint32Array, a: number, b: number, c: number): number {
    const slots = s.length / WORDS;
    let i = (b >>> 0) % slots;
    for (;;) {
      const at = i * WORDS;
      const first = s[at] as number;
      if (first === 0 || (first === a >>> 0 && s[at + 1] === b >>> 0 && s[at + 2] === c >>> 0)) return at;
      i = i + 1 === slots ? 0 : i + 1;
    }
  }

  private grow(): void {
    const old = this.slots;
    const next = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += WORDS) {
      const a = old[at] as number;
      if (a === 0) continue;
      const to = this.find(next, a, old[at + 1] as number, old[at + 2] as number);
      next.set(old.subarray(at, at + WORDS), to);
    }
    this.slots = next;
  }
}
