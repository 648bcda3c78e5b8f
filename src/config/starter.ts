/** The commented starter file `mlps config init` writes. */
export function starterConfig(): string {
  return `# yaml-language-server: $schema=./mlps.schema.json
# mlps site configuration. Every key is optional; \`mlps config show\` prints
# the resolved values and where each came from. Flags and MLPS_* environment
# variables (e.g. MLPS_RESULTS_DIR) override what is written here.

# Root of the results tree: <resultsDir>/<division>/<organization>/results/<systemName>/...
resultsDir: mlps-results

# The <system> folder of a submission (--system-name, MLPS_SYSTEM_NAME):
# required in CLOSED; characters A-Z a-z 0-9 . _ -
systemName: my-storage-system
# The <org> folder comes from the tree: \`mlps init <organization>\` records
# it in <resultsDir>/.mlps/tree.json. Set it here only for trees never
# initialised; a value that disagrees with the tree's stops every run.
# organization: my-org

# closed or open; --closed / --open on a command override it.
division: closed

# Client hosts running the benchmark. Ranges and slots: node[01-04]:8
hosts:
  - localhost

# How ranks are launched: auto (detect), local, openmpi, mpich, srun.
launcher:
  type: auto
  extraArgs: []
  envAllowList: []

# Cluster facts collector: local, mpi, ssh or none; sampled every N seconds.
collector: local
sampleIntervalSeconds: 10

# Rules edition used to verify runs.
rulesEdition: "3.0"

# SSH settings for the ssh collector.
ssh:
  port: 22
  strictHostKeyChecking: "yes"

# Preflight checks not to run before a benchmark, by id (see mlps doctor);
# each skip is recorded in the run as a warning.
preflight:
  skip: []

# Per-engine and per-benchmark settings, owned by their plugins.
engines: {}
#  dlio:
#    bin: /opt/dlio/bin/dlio_benchmark
benchmarks: {}
#  training:
#    dataDir: /mnt/storage-under-test
`
}
