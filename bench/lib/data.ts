/** The Character data set of the actor benchmark: seeded inputs, ~1000 distinct nicknames. */
import { rng } from './stats.js';

/** What `domain.create(Character, …)` takes. */
export interface CreateInput {
  name: string;
  nickname: string;
  currentYear: number;
}

/** `count` distinct nicknames, `nick-000` … */
export function nicknameList(count: number): string[] {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => `nick-${String(i).padStart(width, '0')}`);
}

/**
 * A seeded generator of create inputs: a fresh name string per record (two random words, so names
 * are unique in practice and the string belongs to the record), a nickname drawn from `nicknames`
 * (shared strings), and a year.
 */
export function inputSource(seed: number, nicknames: readonly string[]): () => CreateInput {
  const rand = rng(seed);
  // Char codes joined by one String.fromCharCode call: a flat string. Built with `+=`, V8 would keep
  // each name as a tree of ~17 cons cells (~500 B), which the domain flattens on cast but a raw Map keeps.
  const codes: number[] = [];
  const word = (length: number) => {
    codes.push(65 + Math.floor(rand() * 26));
    for (let i = 1; i < length; i++) codes.push(97 + Math.floor(rand() * 26));
  };
  const name = () => {
    codes.length = 0;
    word(7);
    codes.push(32);
    word(9);
    return String.fromCharCode(...codes);
  };
  return () => ({
    name: name(),
    nickname: nicknames[Math.floor(rand() * nicknames.length)]!,
    currentYear: 1850 + Math.floor(rand() * 200),
  });
}

/** `count` items drawn at random (with repetition) from `from`, with a seeded PRNG. */
export function sample<T>(from: readonly T[], count: number, seed: number): T[] {
  const rand = rng(seed);
  return Array.from({ length: count }, () => from[Math.floor(rand() * from.length)]!);
}

/** A seeded Fisher–Yates shuffle of a copy of `xs`. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rand = rng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
