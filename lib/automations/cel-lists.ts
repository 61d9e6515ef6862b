import type { CelList, CelValue } from '@bufbuild/cel';

// @bufbuild/cel recognises lists by this registered symbol (isCelList).
const celListMark = Symbol.for('@bufbuild/cel/list');

/**
 * A list that appends in amortised constant time. The library's own concatenation nests one wrapper per `+`, so
 * `items.map(...)` over thousands of items builds a chain thousands deep that overflows the stack when read. Each
 * AppendList sees the first `size` items of a shared array; appending to the newest view pushes onto the array,
 * appending to an older one copies, so no value ever changes under another.
 */
class AppendList {
  readonly [celListMark] = {};
  constructor(
    private readonly items: CelValue[],
    readonly size: number,
  ) {}

  get(index: number): CelValue | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.size ? this.items[index] : undefined;
  }

  *values(): IterableIterator<CelValue> {
    for (let i = 0; i < this.size; i++) yield this.items[i] as CelValue;
  }

  [Symbol.iterator](): IterableIterator<CelValue> {
    return this.values();
  }

  append(right: CelList): AppendList {
    const items = this.size === this.items.length ? this.items : this.items.slice(0, this.size);
    for (const value of right) items.push(value);
    return new AppendList(items, items.length);
  }
}

/** `left + right` for CEL lists. */
export function appendLists(left: CelList, right: CelList): CelList {
  const result =
    left instanceof AppendList
      ? left.append(right)
      : new AppendList([...left, ...right], left.size + right.size);
  return result as unknown as CelList;
}
