/**
 * Scan pruning (issue 13): what a scan can skip. A row filter is projected onto each partition
 * spec (project-inclusive.ts); manifests are skipped by their partition summaries
 * (manifest-evaluator.ts), data files by their partition tuple (partition-evaluator.ts) and their
 * column metrics (metrics-evaluator.ts); what remains to check per row is the residual
 * (residual.ts, with the strict projection of project-strict.ts). Everything is pure and total:
 * hostile manifest contents mean "might match".
 */
export { partitionFieldsOf, sameTransform, type PartitionFieldInfo } from './partition-fields.js';
export { partitionValueOf, readPartitionTuple, type PartitionValue } from './partition-values.js';
export { projectInclusive } from './project-inclusive.js';
export { projectStrict } from './project-strict.js';
export { IN_PREDICATE_LIMIT } from './bounds-check.js';
export { manifestMightMatch } from './manifest-evaluator.js';
export { fileMightMatch, type FileMetrics } from './metrics-evaluator.js';
export { partitionMightMatch } from './partition-evaluator.js';
export { residualFor } from './residual.js';
