import {join} from 'node:path'

export interface SlurmConfInput {
  dir: string
  node: string
  mungeSocket: string
  controllerPort: number
  nodePort: number
  /** what the node offers; slurmd is told to take it from here, not from the hardware */
  cpus: number
}

/**
 * A single-node Slurm kept entirely in `dir` (launch-lab.md "Single-node Slurm"): root runs the daemons,
 * munge through the lab's own munged socket, no cgroups, private ports so a site's Slurm is not disturbed.
 * `config_overrides` makes the node offer `cpus` whatever the machine has, so tests that fill the node
 * (the sampler-holds-the-CPUs case) behave the same on 2 cores and on 64.
 */
export function slurmConf(input: SlurmConfInput): string {
  const {dir, node} = input
  return [
    'ClusterName=mlpslab',
    `SlurmctldHost=${node}(127.0.0.1)`,
    `SlurmctldPort=${input.controllerPort}`,
    `SlurmdPort=${input.nodePort}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${input.mungeSocket}`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'MpiDefault=none',
    'ReturnToService=2',
    'SlurmdParameters=config_overrides',
    'KillWait=5',
    'JobCompType=jobcomp/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    `StateSaveLocation=${join(dir, 'state')}`,
    `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
    `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${input.cpus} Sockets=1 CoresPerSocket=${input.cpus} ThreadsPerCore=1 State=UNKNOWN`,
    `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES`,
    '',
  ].join('\n')
}
