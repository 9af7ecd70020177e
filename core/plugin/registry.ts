/** The blocks and targets an impulse can use: built-ins plus its plugins, all registered the same way. */
import type { Block, BlockKind, Target } from './types.js';

export type Registrable = Block | Target;

export class RegistryConflictError extends Error {}

export class Registry {
  private readonly blocks = new Map<string, { block: Block; origin: string }>();
  private readonly targetsByType = new Map<string, { target: Target; origin: string }>();

  register(item: Registrable, origin: string): void {
    if (item.kind === 'target') {
      const prev = this.targetsByType.get(item.type);
      if (prev) throw new RegistryConflictError(`target '${item.type}' is registered twice (by ${prev.origin} and ${origin})`);
      this.targetsByType.set(item.type, { target: item, origin });
      return;
    }
    const k = `${item.kind}:${item.type}`;
    const prev = this.blocks.get(k);
    if (prev) throw new RegistryConflictError(`${item.kind} block '${item.type}' is registered twice (by ${prev.origin} and ${origin})`);
    this.blocks.set(k, { block: item, origin });
  }

  registerAll(items: readonly Registrable[], origin: string): this {
    for (const item of items) this.register(item, origin);
    return this;
  }

  block<K extends BlockKind>(kind: K, type: string): Extract<Block, { kind: K }> | undefined {
    return this.blocks.get(`${kind}:${type}`)?.block as Extract<Block, { kind: K }> | undefined;
  }

  blockTypes(kind: BlockKind): string[] {
    return [...this.blocks.values()].filter((e) => e.block.kind === kind).map((e) => e.block.type).sort();
  }

  allBlocks(): Block[] {
    return [...this.blocks.values()].map((e) => e.block);
  }

  target(type: string): Target | undefined {
    return this.targetsByType.get(type)?.target;
  }

  targetTypes(): string[] {
    return [...this.targetsByType.keys()].sort();
  }

  allTargets(): Target[] {
    return [...this.targetsByType.values()].map((e) => e.target);
  }

  /** A copy to add an impulse's plugins to without touching the built-ins. */
  clone(): Registry {
    const r = new Registry();
    for (const [k, v] of this.blocks) r.blocks.set(k, v);
    for (const [k, v] of this.targetsByType) r.targetsByType.set(k, v);
    return r;
  }
}
