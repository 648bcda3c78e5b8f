/** One figure of a run: what engines report and records keep. */
export type MetricValue = string | number | boolean | null | Array<number | null>
