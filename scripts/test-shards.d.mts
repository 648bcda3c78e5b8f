/** Types for test-shards.mjs (a plain script so `npm test` runs it without a build). */
export interface Shard {name: string; files: string[]}
export interface ShardResult {name: string; output: string; code: number | null; signal: NodeJS.Signals | null}
export declare function testFiles(root: string): string[]
export declare function shards(files: readonly string[], jobs: number, source: (file: string) => string): Shard[]
export declare function readSource(root: string): (file: string) => string
export declare function summaryOf(output: string): {passing?: number; failing?: number; pending?: number}
export declare function combine(results: readonly ShardResult[]): {passing: number; failing: number; pending: number; broken: string[]}
