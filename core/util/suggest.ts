import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word` when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  // A truncated or extended name ('learning' for 'learn') is a likely slip too.
  if (bestD > 2 && w.length >= 4) {
    const prefixed = [...candidates].find((c) => c.length >= 4 && (w.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(w)));
    if (prefixed) return prefixed;
  }
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean '${c}'?)`;
}
