/**
 * The typed TypeScript form of an impulse. The builder produces exactly the object an
 * impulse.yaml holds (camelCase keys, same nesting), so both forms go through the same
 * validation and normalize to equal specs with equal cache keys.
 *
 *   export default impulse({ name: 'activity', seed: 7 })
 *     .data({ source: 'dataset:st_har' })
 *     .input(timeSeries({ frequency: 26, window: { size: '2000ms', stride: '500ms' } }))
 *     .dsp('spectral', spectralAnalysis({ fftLength: 16 }))
 *     .learn('classifier', classifier({ epochs: 60 }))
 *     .deploy(tfjs());
 */

export interface DataOptions {
  source: string;
  split?: { test?: number; groupBy?: string };
  onError?: 'stop' | 'skip';
}

export interface InputUse {
  readonly type: string;
  readonly [param: string]: unknown;
}

export interface BlockRef<P = Record<string, unknown>> {
  readonly type: string;
  readonly params: P;
  readonly from?: readonly string[];
}

export interface TargetRef<P = Record<string, unknown>> {
  readonly target: string;
  readonly params: P;
  readonly from?: readonly string[];
}

export type DeviceCore = 'cortex-m0plus' | 'cortex-m4f' | 'cortex-m7' | 'cortex-m33' | 'host';

export interface DeviceProfileOptions {
  core: DeviceCore;
  clockMhz: number;
  ramKb: number;
  flashKb: number;
  flashWaitStates?: number;
  description?: string;
}

export interface DeviceChoice extends Partial<DeviceProfileOptions> {
  name: string;
  measure?: boolean;
  windows?: number;
}

interface ImpulseHeader {
  name: string;
  seed?: number;
  description?: string;
  plugins?: string[];
}

/** Drops keys whose value is undefined, so optional arguments do not appear as `key: undefined`. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class ImpulseBuilder {
  private readonly spec: Record<string, unknown>;
  private readonly dspBlocks: Record<string, unknown> = {};
  private readonly learnBlocks: Record<string, unknown> = {};
  private readonly targets: unknown[] = [];

  constructor(header: ImpulseHeader) {
    this.spec = defined({ version: 1, ...header });
  }

  data(options: DataOptions): this {
    this.spec['data'] = defined({ ...options });
    return this;
  }

  input(use: InputUse): this {
    this.spec['input'] = use;
    return this;
  }

  /** The device profile to size the impulse for: a name, or `{ name, measure?, …fields to change }`. */
  device(device: string | DeviceChoice): this {
    this.spec['device'] = device;
    return this;
  }

  /** Device profiles of your own, by name (`device` can then pick one). */
  devices(profiles: Record<string, DeviceProfileOptions>): this {
    this.spec['devices'] = profiles;
    return this;
  }

  dsp(id: string, block: BlockRef<object>): this {
    this.dspBlocks[id] = defined({ type: block.type, from: block.from, params: block.params });
    return this;
  }

  learn(id: string, block: BlockRef<object>): this {
    this.learnBlocks[id] = defined({ type: block.type, from: block.from, params: block.params });
    return this;
  }

  deploy(...targets: TargetRef<object>[]): this {
    for (const t of targets) this.targets.push(defined({ target: t.target, from: t.from, params: t.params }));
    return this;
  }

  /** The impulse as the plain object an impulse.yaml would hold. */
  toSpec(): Record<string, unknown> {
    return {
      ...this.spec,
      dsp: { ...this.dspBlocks },
      learn: { ...this.learnBlocks },
      ...(this.targets.length ? { deploy: [...this.targets] } : {}),
    };
  }
}

export function impulse(header: ImpulseHeader): ImpulseBuilder {
  return new ImpulseBuilder(header);
}
