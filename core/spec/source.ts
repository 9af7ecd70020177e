/**
 * Where things are in an impulse file. YAML is parsed with positions so every problem can
 * name file:line:col and show the line; a TS impulse only knows its file.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ImpulseError, ImpulseErrors, type SourceLocation } from '../errors/impulse-error.js';

export type SpecPath = readonly (string | number)[];

export interface SpecSource {
  /** The file as the user should see it (relative to the cwd when inside it). */
  readonly file: string;
  /** Location of the value at `path` (or of its key, for unknown keys); the deepest existing node when the path is missing. */
  locate(path: SpecPath, which?: 'key' | 'value'): SourceLocation;
}

export function fileOnlySource(file: string): SpecSource {
  return { file, locate: () => ({ file }) };
}

export function parseYamlSpec(file: string, text: string): { raw: unknown; source: SpecSource } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lines = text.split(/\r?\n/);
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, sourceLine: lines[line - 1] ?? '' };
  };
  if (doc.errors.length > 0) {
    throw new ImpulseErrors(
      doc.errors.map(
        (e) =>
          new ImpulseError({
            code: 'E_SPEC_YAML',
            message: `YAML syntax error: ${firstLine(e.message)}`,
            hint: 'Fix the YAML syntax (indentation, quotes, colons) at this line.',
            location: at(e.pos[0]),
          }),
      ),
    );
  }
  const source: SpecSource = {
    file,
    locate(path, which = 'value') {
      const node = findNode(doc, path, which);
      return node?.range ? at(node.range[0]) : { file, line: 1, col: 1, sourceLine: lines[0] ?? '' };
    },
  };
  return { raw: doc.toJS({ maxAliasCount: 100 }), source };
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).replace(/ at line \d+, column \d+:?$/, '');
}

function findNode(doc: Document, path: SpecPath, which: 'key' | 'value'): Node | undefined {
  let current: unknown = doc.contents;
  let found: Node | undefined = doc.contents ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(current)) {
      const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return found;
      if (last && which === 'key' && pair.key && isScalar(pair.key)) return pair.key;
      current = pair.value;
      if (current && typeof current === 'object' && 'range' in current) found = current as Node;
      else if (isScalar(pair.key)) found = pair.key; // `key:` with no value
    } else if (isSeq(current) && typeof seg === 'number') {
      const item = current.items[seg];
      if (!item) return found;
      current = item;
      if (typeof item === 'object' && item !== null && 'range' in item) found = item as Node;
    } else {
      return found;
    }
  }
  return found;
}
