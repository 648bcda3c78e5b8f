import {checkDoctorTargets} from '../doctor/doctor-targets.js'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {MlpsCommand} from '../command/mlps-command.js'
import {loadConfig} from '../config/load-config.js'
import {allChecks, candidateEngines} from '../doctor/all-checks.js'
import type {CheckRow} from '../doctor/check.js'
import {type EngineReadiness, engineReadiness} from '../doctor/check-findings.js'
import {cliCheckPlan} from '../doctor/cli-check-plan.js'
import {blockingFailures, enginesInUse} from '../doctor/engine-choice.js'
import {detectLocalOs, type OsInfo} from '../doctor/os-detect.js'
import {renderCheckTable, summarizeRows} from '../doctor/render-table.js'
import {runChecks} from '../doctor/run-checks.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {resolveHosts} from '../hosts/resolve-hosts.js'
import {getRegistry} from '../registry/load-registry.js'

export interface DoctorResult {
  ready: boolean
  exitCode: number
  os: OsInfo
  hosts: string[]
  engines: Record<string, EngineReadiness>
  /** benchmark → the engine a run of it would use (--engine, else the config's benchmarks.<name>.engine) */
  enginesInUse: Record<string, string>
  checks: CheckRow[]
}

export default class Doctor extends MlpsCommand {
  static summary = 'Check that the hosts are ready to run: binaries, Python modules, MPI, SSH, versions, shared results dir, permissions'
  static description = 'Runs the same checks a benchmark runs before it starts (the core\'s and every plugin\'s), on every host in parallel, and prints check, host, status, detail and the fix for this host\'s OS. Readiness is reported per engine; exit 0 when nothing failed but the checks of engines no run would use (--engine, else each benchmark\'s benchmarks.<name>.engine), 3 otherwise.'
  static examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --benchmark training --model unet3d --engine dlio',
    '<%= config.bin %> doctor --hosts node[01-04] --collector ssh --json',
  ]

  static flags = {
    hosts: Flags.string({description: 'hosts to check, e.g. node[01-04]:8 (comma or space separated) [config: hosts]', multiple: true}),
    hostfile: Flags.string({description: 'hosts from a file: OpenMPI lines (node01 slots=8) or MPICH lines (node01:8)', exclusive: ['hosts']}),
    collector: Flags.string({description: 'how other hosts are reached for their facts [config: collector]', options: ['local', 'mpi', 'ssh', 'none']}),
    'results-dir': Flags.string({description: 'the results dir whose sharing across hosts is checked [config: resultsDir]'}),
    benchmark: Flags.string({description: 'check only what this benchmark needs (e.g. training)'}),
    command: Flags.string({description: 'with --benchmark: the command to check for (e.g. run, datagen)', dependsOn: ['benchmark']}),
    model: Flags.string({description: 'the model the run is for (e.g. unet3d)'}),
    engine: Flags.string({description: 'check only this engine (e.g. native, dlio); default: every engine that runs the benchmark'}),
  }

  async run(): Promise<DoctorResult> {
    const {flags} = await this.parse(Doctor)
    const resolved = await loadConfig({
      configFile: flags.config,
      flags: [
        {path: 'hosts', value: flags.hosts, flag: '--hosts'},
        {path: 'collector', value: flags.collector, flag: '--collector'},
        {path: 'resultsDir', value: flags['results-dir'], flag: '--results-dir'},
      ],
    })
    const {config} = resolved
    config.resultsDir = resolve(config.resultsDir)
    const registry = await getRegistry(this.config)
    if (flags.benchmark && !registry.benchmarks.has(flags.benchmark)) {
      throw new MlpsError(`no benchmark named "${flags.benchmark}" is installed`, {where: '--benchmark', fix: `use one of: ${[...registry.benchmarks.keys()].join(', ')}`})
    }
    checkDoctorTargets(this.config, flags)
    const engine = flags.engine ? registry.engines.get(flags.engine)?.definition : undefined
    if (flags.engine && (!engine || (flags.benchmark && !engine.supports[flags.benchmark]))) {
      const serving = candidateEngines(registry, {benchmark: flags.benchmark})
      throw new MlpsError(engine ? `engine "${flags.engine}" does not run ${flags.benchmark}` : `no engine named "${flags.engine}" is installed`, {where: '--engine', fix: `use one of: ${serving.join(', ')}`})
    }
    const hosts = await resolveHosts(resolved, flags.hostfile)
    const rows = await runChecks(allChecks(registry), {
      mode: 'doctor', benchmark: flags.benchmark, command: flags.command, model: flags.model,
      engines: candidateEngines(registry, {engine: flags.engine, benchmark: flags.benchmark, command: flags.command}),
      hosts, config, ...cliCheckPlan(this.config, registry, config, this.jsonEnabled()),
    })
    const inUse = enginesInUse(registry, config, {benchmark: flags.benchmark, engine: flags.engine})
    const ready = blockingFailures(rows, inUse).length === 0
    const exitCode = ready ? ExitCode.Ok : ExitCode.EnvironmentNotReady
    process.exitCode = exitCode
    const engines = engineReadiness(rows)
    if (!this.jsonEnabled()) {
      this.say(renderCheckTable(rows))
      this.say('')
      for (const [name, state] of Object.entries(engines)) {
        const usedBy = Object.entries(inUse).filter(([, engine]) => engine === name).map(([benchmark]) => benchmark)
        const use = usedBy.length > 0 ? `, used by ${usedBy.join(', ')}` : ', used by no benchmark as configured'
        this.say(`engine ${name}: ${state.ready ? 'ready' : `not ready (${state.failed.join(', ')})`}${use}`)
      }
      this.say(summarizeRows(rows, ready))
    }
    return {ready, exitCode, os: await detectLocalOs(), hosts: hosts.map(h => h.name), engines, enginesInUse: inUse, checks: rows}
  }
}
