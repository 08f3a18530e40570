export {
  conjuncts,
  equalityPredicates,
  type FilterNode,
  OPERATORS,
  type Operator,
  pinnedKeys,
  type Query,
  type SortKeySpec,
} from './ast.js';
export { compileFilter, compileQuery, compileSort, type QueryInput } from './compile.js';
export { compileComparator, compilePredicate } from './evaluate.js';
export { runQuery } from './run.js';
