import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.js';

export interface QueryMeasure {
  /** Deepest field nesting, counting the operation's root fields as 1 (introspection fields not counted). */
  readonly depth: number;
  /**
   * Estimated number of field resolutions: each field costs 1, and every field below a list
   * argument `first` (a connection) counts once per item it may return.
   */
  readonly cost: number;
}

function argValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/** The page size a field may return, when it is a connection (has or takes `first`). */
function multiplier(field: FieldNode, variables: Record<string, unknown>): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return 1;
  const v = argValue(first.value, variables);
  return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(v, MAX_PAGE_SIZE)) : first.value.kind === Kind.NULL ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
}

/**
 * Depth and cost of the operation that will run. Pure (document + variables in, numbers out) so it
 * is tested without a server; fragments are followed once per spread, with a guard against cycles
 * (GraphQL validation refuses those anyway).
 */
export function measureQuery(document: DocumentNode, operationName: string | undefined | null, variables: Record<string, unknown> = {}): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return { depth: 0, cost: 0 };

  const walk = (set: SelectionSetNode, depth: number, scale: number, seen: ReadonlySet<string>): { depth: number; cost: number } => {
    let maxDepth = depth;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        cost += scale;
        if (sel.selectionSet) {
          const child = walk(sel.selectionSet, depth + 1, scale * multiplier(sel, variables), seen);
          maxDepth = Math.max(maxDepth, child.depth);
          cost += child.cost;
        } else {
          maxDepth = Math.max(maxDepth, depth + 1);
        }
      } else {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : fragments.get(sel.name.value)?.selectionSet;
        const name = sel.kind === Kind.FRAGMENT_SPREAD ? sel.name.value : undefined;
        if (!inner || (name && seen.has(name))) continue;
        const child = walk(inner, depth, scale, name ? new Set([...seen, name]) : seen);
        maxDepth = Math.max(maxDepth, child.depth);
        cost += child.cost;
      }
    }
    return { depth: maxDepth, cost };
  };
  return walk(operation.selectionSet, 0, 1, new Set());
}
