import assert from 'node:assert/strict'
import {MlpsError} from '../../src/errors.js'
import {parseHosts} from '../../src/hosts/parse-hosts.js'
import {buildLaunch} from '../../src/launch/build-launch.js'
import type {LauncherInfo, LauncherSettings, LaunchRequest} from '../../src/launch/launcher.js'

const openmpi4: LauncherInfo = {kind: 'openmpi', bin: 'mpirun', version: '4.1.4', major: 4}
const openmpi5: LauncherInfo = {kind: 'openmpi', bin: 'mpirun', version: '5.0.7', major: 5}
const mpich: LauncherInfo = {kind: 'mpich', bin: 'mpiexec', version: '4.1.2', major: 4}
const slurm: LauncherInfo = {kind: 'slurm', bin: 'srun', version: '23.02.7', major: 23}

const settings = (over: Partial<LauncherSettings> = {}): LauncherSettings => ({extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: [], ...over})
const request = (over: Partial<LaunchRequest> = {}): LaunchRequest => ({
  command: ['prog', '--flag'], numProcesses: 8, hosts: parseHosts(['localhost']), runId: 'run-1', settings: settings(), isRoot: false, parentEnv: {}, ...over,
})

describe('launcher argv', () => {
  describe('Open MPI 4 (the reference dialect, mlpstorage-spec.md §3.4)', () => {
    it('one host: -n, -host with the placed count, --bind-to none --map-by socket, then the program', () => {
      assert.deepEqual(buildLaunch(openmpi4, request()).argv,
        ['mpirun', '-n', '8', '-host', 'localhost:8', '--bind-to', 'none', '--map-by', 'socket', '-x', 'MLPS_RUN_ID', 'prog', '--flag'])
    })

    it('reproduces the recorded v3.0 command (engines.md §1.2): 8 hosts × 1, --map-by node, -x from the user', () => {
      const hosts = parseHosts(['172.31.15.209,172.31.9.50,172.31.4.133,172.31.9.105,172.31.13.26,172.31.15.44,172.31.12.239,172.31.4.111'])
      const launch = buildLaunch(openmpi4, request({hosts, settings: settings({extraArgs: ['-x', 'DLIO_DROP_CACHES_TIMEOUT']})}))
      assert.deepEqual(launch.argv, [
        'mpirun', '-n', '8', '-host', '172.31.15.209:1,172.31.9.50:1,172.31.4.133:1,172.31.9.105:1,172.31.13.26:1,172.31.15.44:1,172.31.12.239:1,172.31.4.111:1',
        '--bind-to', 'none', '--map-by', 'node', '-x', 'MLPS_RUN_ID', '-x', 'DLIO_DROP_CACHES_TIMEOUT', 'prog', '--flag',
      ])
    })

    it('passes the user\'s slots as given, as the reference did', () => {
      const launch = buildLaunch(openmpi4, request({hosts: parseHosts(['node[01-02]:8']), numProcesses: 12}))
      assert.deepEqual(launch.argv.slice(0, 5), ['mpirun', '-n', '12', '-host', 'node01:8,node02:8'])
    })

    it('adds --oversubscribe, and --allow-run-as-root as root (auto), always, or never', () => {
      const asRoot = buildLaunch(openmpi4, request({isRoot: true, settings: settings({oversubscribe: true})})).argv
      assert.deepEqual(asRoot.slice(5, 12), ['--bind-to', 'none', '--map-by', 'socket', '--oversubscribe', '--allow-run-as-root', '-x'])
      assert.ok(!buildLaunch(openmpi4, request({isRoot: true, settings: settings({allowRunAsRoot: 'never'})})).argv.includes('--allow-run-as-root'))
      assert.ok(buildLaunch(openmpi4, request({isRoot: false, settings: settings({allowRunAsRoot: 'always'})})).argv.includes('--allow-run-as-root'))
      assert.ok(!buildLaunch(openmpi4, request({isRoot: false})).argv.includes('--allow-run-as-root'))
    })

    it('passes extra arguments through unchanged, values starting with "-" included (storage#422)', () => {
      const extraArgs = ['--mca', 'btl', '^openib', '--mca', 'pml', 'ucx', '-x', 'UCX_TLS=-rc']
      const argv = buildLaunch(openmpi4, request({settings: settings({extraArgs})})).argv
      assert.deepEqual(argv.slice(-10), [...extraArgs, 'prog', '--flag'])
    })

    it('adds no mapping or binding of its own when the user brings one', () => {
      const argv = buildLaunch(openmpi4, request({settings: settings({extraArgs: ['--npernode', '4', '--bind-to=core']})})).argv
      assert.ok(!argv.includes('--map-by'))
      assert.deepEqual(argv.filter(arg => arg.startsWith('--bind-to')), ['--bind-to=core'])
    })
  })

  describe('Open MPI 5 (PRRTE: one mapping directive)', () => {
    it('spells socket as package and folds oversubscription into --map-by', () => {
      assert.deepEqual(buildLaunch(openmpi5, request({isRoot: true, settings: settings({oversubscribe: true})})).argv,
        ['mpirun', '-n', '8', '--host', 'localhost:8', '--bind-to', 'none', '--map-by', 'package:OVERSUBSCRIBE', '--allow-run-as-root', '-x', 'MLPS_RUN_ID', 'prog', '--flag'])
      const multi = buildLaunch(openmpi5, request({hosts: parseHosts(['a,b'])})).argv
      assert.deepEqual(multi.slice(0, 9), ['mpirun', '-n', '8', '--host', 'a:4,b:4', '--bind-to', 'none', '--map-by', 'node'])
      assert.ok(!multi.includes('--oversubscribe'))
    })

    it('never emits a --map-by that clashes with the user\'s --map-by ppr (user-asks.md §1.2)', () => {
      const argv = buildLaunch(openmpi5, request({hosts: parseHosts(['a,b']), settings: settings({extraArgs: ['--map-by', 'ppr:4:node']})})).argv
      assert.deepEqual(argv.filter(arg => arg.startsWith('--map-by')), ['--map-by'])
      assert.equal(argv[argv.indexOf('--map-by') + 1], 'ppr:4:node')
    })

    it('refuses oversubscription on top of the user\'s own mapping, with the fix', () => {
      assert.throws(() => buildLaunch(openmpi5, request({settings: settings({oversubscribe: true, extraArgs: ['--map-by=ppr:2:node']})})),
        (error: unknown) => error instanceof MlpsError && /single --map-by/.test(error.message) && /:OVERSUBSCRIBE/.test(error.fix ?? ''))
    })
  })

  describe('MPICH / Hydra', () => {
    it('uses -hosts with placed counts and -genvlist, and none of Open MPI\'s flags (mlpstorage-spec.md §12.1 item 14)', () => {
      const launch = buildLaunch(mpich, request({
        hosts: parseHosts(['a,b,c']), isRoot: true, parentEnv: {S3_KEY: 'x', S3_REGION: 'y', HOME: '/root'},
        settings: settings({oversubscribe: true, allowRunAsRoot: 'always', envAllowList: ['S3_*'], extraArgs: ['-genv', 'FI_PROVIDER', 'tcp']}),
      }))
      assert.deepEqual(launch.argv, ['mpiexec', '-n', '8', '-hosts', 'a:3,b:3,c:2', '-genvlist', 'MLPS_RUN_ID,S3_KEY,S3_REGION', '-genv', 'FI_PROVIDER', 'tcp', 'prog', '--flag'])
      for (const flag of ['--bind-to', '--map-by', '--oversubscribe', '--allow-run-as-root', '-x']) assert.ok(!launch.argv.includes(flag), flag)
    })

    it('gives Hydra the placed counts, not capacities, and drops hosts that run nothing', () => {
      assert.deepEqual(buildLaunch(mpich, request({hosts: parseHosts(['a:8,b:8,c:8']), numProcesses: 4})).argv.slice(3, 5), ['-hosts', 'a:2,b:1,c:1'])
      assert.deepEqual(buildLaunch(mpich, request({hosts: parseHosts(['a:8,b:8,c:8']), numProcesses: 2})).argv.slice(3, 5), ['-hosts', 'a:1,b:1'])
    })
  })

  describe('Slurm srun', () => {
    it('asks for tasks per node when every host runs the same count', () => {
      assert.deepEqual(buildLaunch(slurm, request({hosts: parseHosts(['node[01-02]']), settings: settings({envAllowList: ['AWS_REGION']}), parentEnv: {AWS_REGION: 'eu'}})).argv,
        ['srun', '--ntasks=8', '--nodes=2', '--nodelist=node01,node02', '--ntasks-per-node=4', '--export=ALL', 'prog', '--flag'])
    })

    it('uses cyclic distribution for the spread rule\'s shape, and refuses layouts srun cannot express', () => {
      const argv = buildLaunch(slurm, request({hosts: parseHosts(['a,b,c']), settings: settings({oversubscribe: true})})).argv
      assert.deepEqual(argv.slice(1, 7), ['--ntasks=8', '--nodes=3', '--nodelist=a,b,c', '--distribution=cyclic', '--export=ALL', '--overcommit'])
      assert.throws(() => buildLaunch(slurm, request({hosts: parseHosts(['a:1,b:7'])})), /srun cannot place 1\+7 ranks/)
    })

    it('leaves the node list to the allocation when the hosts are this machine', () => {
      assert.deepEqual(buildLaunch(slurm, request({numProcesses: 2})).argv.slice(0, 5), ['srun', '--ntasks=2', '--nodes=1', '--ntasks-per-node=2', '--export=ALL'])
    })

    it('inside an allocation, default hosts give only --ntasks: the allocation places the ranks, not one node', () => {
      const inside = {SLURM_JOB_ID: '42', SLURM_JOB_NUM_NODES: '4'}
      assert.deepEqual(buildLaunch(slurm, request({numProcesses: 16, parentEnv: inside})).argv, ['srun', '--ntasks=16', '--export=ALL', 'prog', '--flag'])
      assert.deepEqual(buildLaunch(slurm, request({numProcesses: 4, hosts: parseHosts(['node[01-02]']), parentEnv: inside})).argv.slice(0, 5),
        ['srun', '--ntasks=4', '--nodes=2', '--nodelist=node01,node02', '--ntasks-per-node=2'], 'named hosts are still asked for')
    })

    it('names other loopback addresses in --nodelist: they are hosts, not this machine', () => {
      assert.deepEqual(buildLaunch(slurm, request({numProcesses: 2, hosts: parseHosts(['127.0.0.2,127.0.0.3'])})).argv.slice(0, 5),
        ['srun', '--ntasks=2', '--nodes=2', '--nodelist=127.0.0.2,127.0.0.3', '--ntasks-per-node=1'])
    })
  })

  describe('local', () => {
    it('runs the program itself, once', () => {
      const launch = buildLaunch({kind: 'local'}, request({numProcesses: 1}))
      assert.deepEqual(launch.argv, ['prog', '--flag'])
      assert.equal(launch.env.MLPS_RUN_ID, 'run-1')
    })

    it('refuses several ranks or another host, as an environment problem with the install fix', () => {
      assert.throws(() => buildLaunch({kind: 'local'}, request({numProcesses: 4})), (error: unknown) => error instanceof MlpsError && error.exitCode === 3 && /apt install openmpi-bin/.test(error.fix ?? ''))
      assert.throws(() => buildLaunch({kind: 'local'}, request({numProcesses: 1, hosts: parseHosts(['node07'])})), /hosts include node07/)
      assert.throws(() => buildLaunch({kind: 'local'}, request({numProcesses: 1, hosts: parseHosts(['127.0.0.2'])})), /hosts include 127\.0\.0\.2/)
    })
  })

  describe('environment forwarding', () => {
    it('sets MLPS_RUN_ID and mlps\'s own variables, forwards allow-listed names that are set, reports the others', () => {
      const launch = buildLaunch(openmpi4, request({
        env: {DLIO_LOG_LEVEL: 'info'}, parentEnv: {AWS_SECRET_ACCESS_KEY: 's3cr3t', PATH: '/bin'},
        settings: settings({envAllowList: ['AWS_SECRET_ACCESS_KEY', 'NOT_SET_HERE', 'PMIX_*']}),
      }))
      assert.deepEqual(launch.env, {DLIO_LOG_LEVEL: 'info', MLPS_RUN_ID: 'run-1'})
      assert.deepEqual(launch.forwarded, ['DLIO_LOG_LEVEL', 'MLPS_RUN_ID', 'AWS_SECRET_ACCESS_KEY'])
      assert.deepEqual(launch.notSet, ['NOT_SET_HERE', 'PMIX_*'])
      // names only: a forwarded secret's value never appears in the argv
      assert.ok(!launch.argv.some(arg => arg.includes('s3cr3t')))
    })

    it('refuses allow-list entries that are not variable names', () => {
      assert.throws(() => buildLaunch(openmpi4, request({settings: settings({envAllowList: ['OK', 'A=B', 'X*Y']})})), (error: unknown) => error instanceof MlpsError && error.where === 'launcher.envAllowList' && /"A=B", "X\*Y"/.test(error.message))
    })
  })
})
