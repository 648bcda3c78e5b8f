import type {LauncherKind} from 'mlps/unstable'

/**
 * Every launcher mixes its ranks' output into one stream; these flags make
 * it label the output with the rank. Open MPI labels each chunk it reads
 * from a rank and each line inside it (orte iof_base_output.c), so a chunk
 * that ends mid-line leaves a label in the middle of a line, possibly
 * followed by another rank's text: its labels are therefore looked for
 * anywhere in a line, and a rank's unfinished text is kept until its line ends.
 * Hydra and srun label whole lines: their label is only ever at the start.
 */
const LABELS: Record<LauncherKind, {flags: string[]; label?: RegExp}> = {
  // Open MPI 4: "[jobid,rank]<stdout>:"
  openmpi: {flags: ['--tag-output'], label: /\[\d+,(\d+)\]<stdout>:/g},
  // MPICH and Intel MPI (Hydra): "[rank] " before each whole line, so only at the start (a rank may print "[5] " itself)
  mpich: {flags: ['-prepend-rank'], label: /^\[(\d+)\] /g},
  // srun: "rank: " at the start of each line
  slurm: {flags: ['--label'], label: /^\s*(\d+): /g},
  // one process on this machine: everything is rank 0
  local: {flags: []},
}

export function labelFlags(kind: LauncherKind): string[] {
  return LABELS[kind].flags
}

export interface RankSegment {
  rank: number
  text: string
}

/** The labelled pieces of one output line, in order; undefined when the line carries no label (launcher chatter). */
export function splitLabelledLine(kind: LauncherKind, line: string): RankSegment[] | undefined {
  const {label} = LABELS[kind]
  if (!label) return [{rank: 0, text: line}]
  const matches = [...line.matchAll(label)]
  if (matches.length === 0 || matches[0].index !== 0) return undefined
  return matches.map((match, i) => ({
    rank: Number(match[1]),
    text: line.slice(match.index! + match[0].length, i + 1 < matches.length ? matches[i + 1].index : line.length),
  }))
}
