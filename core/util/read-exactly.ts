import { closeSync, openSync, readSync } from 'node:fs';

/** Fills `into` with the bytes of `file` from `position` on (readSync may return fewer bytes than asked). */
export function readExactly(file: string, into: Uint8Array, position = 0): void {
  const fd = openSync(file, 'r');
  try {
    let at = 0;
    while (at < into.length) {
      const got = readSync(fd, into, at, into.length - at, position + at);
      if (got === 0) throw new Error(`${file}: ended at byte ${position + at}, ${into.length - at} bytes short`);
      at += got;
    }
  } finally {
    closeSync(fd);
  }
}

