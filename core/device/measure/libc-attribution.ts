/**
 * Which C-library archive members the impulse itself needs: GNU ld's map starts with "Archive
 * member included to satisfy reference by file (symbol)", naming for each member the object (or
 * another member) whose reference pulled it in. Following those links up to an object file says
 * who caused each member: the SDK's objects, or the harness's (main's stdio, the board's start-up).
 * A member both needed is credited to whoever referenced it first, which ld lists: the board's
 * objects come first on the link line, so this is a lower bound of what the impulse needs.
 */
import path from 'node:path';

/** `libc.a(lib_a-memcpy.o)` → the object or member that pulled it in (as printed, full paths). */
export function parseArchiveMembers(mapText: string): Map<string, string> {
  const lines = mapText.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Archive member included'));
  const pulled = new Map<string, string>();
  if (start < 0) return pulled;
  let member: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line) && !line.startsWith('/') && !/\.a\(/.test(line)) break; // the next part of the map
    if (line.trim() === '') continue;
    if (/^\S/.test(line)) {
      // "<member>" alone on its line, or "<member>   <by> (symbol)" when the name is short.
      const parts = line.trim().split(/\s{2,}/);
      member = parts[0];
      if (parts[1]) pulled.set(member!, parts[1].replace(/\s*\([^()]*\)\s*$/, ''));
    } else if (member) {
      pulled.set(member, line.trim().replace(/\s*\([^()]*\)\s*$/, ''));
      member = undefined;
    }
  }
  return pulled;
}

/** `…/libc.a(lib_a-memcpy.o)` → `libc.a(lib_a-memcpy.o)` (the form sizes.ts names origins by). */
export function memberName(printed: string): string {
  const m = /^(.*)\(([^()]+)\)$/.exec(printed);
  return m ? `${path.basename(m[1]!)}(${m[2]})` : printed;
}

/** Each member (by memberName) → the object file at the start of its chain of references. */
export function rootObjects(pulled: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const member of pulled.keys()) {
    let at = member;
    for (let hops = 0; hops < 100; hops++) {
      const by = pulled.get(at);
      if (by === undefined) break;
      if (!/\.a\([^()]+\)$/.test(by)) {
        out.set(memberName(member), by);
        break;
      }
      at = by;
    }
  }
  return out;
}

/** Members (by memberName) whose chain of references starts at an object for which `ours` is true. */
export function membersPulledBy(pulled: ReadonlyMap<string, string>, ours: (objectPath: string) => boolean): Set<string> {
  return new Set([...rootObjects(pulled)].filter(([, root]) => ours(root)).map(([member]) => member));
}
