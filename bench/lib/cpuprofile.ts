/** Summarises a V8 `.cpuprofile` (from `node --cpu-prof` or `node:inspector`): self time by function. */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  /** `name (file:line)`; V8's own buckets are `(garbage collector)`, `(program)`, `(idle)`. */
  where: string;
  file: string;
  ms: number;
  share: number;
}

function shortFile(url: string): string {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const at = path.search(/\/(build\/)?(src|bench|examples|node_modules)\//);
  return at === -1 ? path : path.slice(at + 1).replace(/^build\//, '');
}

/**
 * Self time per function (summed over every node with the same name and location), largest first.
 * A sample's time is the delta to the next sample, as DevTools counts it. `window` keeps only the
 * samples taken that many ms after the profile started.
 */
export function selfTimes(
  profile: CpuProfile,
  window?: { fromMs: number; toMs: number },
): { total: number; byFunction: SelfTime[]; byFile: SelfTime[] } {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const fn = new Map<string, { file: string; ms: number }>();
  const file = new Map<string, number>();
  let total = 0;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]!);
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at / 1000 < window.fromMs || at / 1000 >= window.toMs)) continue;
    // timeDeltas[i] is the gap before sample i; the sample's own time is the gap after it
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const f = shortFile(url);
    const where = `${functionName || '(anonymous)'}${f ? ` (${f}:${lineNumber + 1})` : ''}`;
    const entry = fn.get(where) ?? { file: f, ms: 0 };
    entry.ms += us / 1000;
    fn.set(where, entry);
    const fileKey = f || functionName;
    file.set(fileKey, (file.get(fileKey) ?? 0) + us / 1000);
    total += us / 1000;
  }
  const sorted = <T extends { ms: number }>(xs: T[]) => xs.sort((a, b) => b.ms - a.ms);
  return {
    total,
    byFunction: sorted([...fn].map(([where, e]) => ({ where, file: e.file, ms: e.ms, share: e.ms / total }))),
    byFile: sorted([...file].map(([f, ms]) => ({ where: f, file: f, ms, share: ms / total }))),
  };
}

/**
 * Where the busy time lies: the share of non-idle samples per `binMs` bin, as `start ms: busy %`
 * for the bins at least `minBusy` busy.
 */
export function busyTimeline(profile: CpuProfile, binMs = 10, minBusy = 0.2): string[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const bins = new Map<number, { busy: number; all: number }>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const name = byNode.get(profile.samples[i]!)?.callFrame.functionName;
    const bin = Math.floor(at / 1000 / binMs);
    const b = bins.get(bin) ?? { busy: 0, all: 0 };
    b.all++;
    if (name !== '(idle)') b.busy++;
    bins.set(bin, b);
  }
  return [...bins]
    .sort((a, b) => a[0] - b[0])
    .filter(([, b]) => b.busy >= b.all * minBusy)
    .map(([bin, b]) => `${bin * binMs}: ${Math.round((100 * b.busy) / b.all)}%`);
}
