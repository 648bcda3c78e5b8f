import {z} from 'mlps'

/** `engines.native` in the site config. */
export const NativeOptionsSchema = z.object({
  datagenConcurrency: z.number().int().positive().optional().describe('files written at once by datagen (default: --num-accelerators)'),
  launch: z.enum(['auto', 'launcher', 'ssh']).default('auto')
    .describe('how ranks reach the hosts: auto runs them in this process when every host is this one, else through the launcher (plain SSH when no MPI is installed); launcher always goes through launcher.type; ssh starts one worker per host over OpenSSH'),
  rendezvous: z.object({
    address: z.string().min(1).optional().describe('the address of this machine the hosts connect to (default: the one the route to the first host leaves from)'),
    port: z.number().int().min(0).max(65535).default(0).describe('TCP port the hosts connect to (0: any free one; set one to open it in a firewall)'),
    connectTimeoutSeconds: z.number().positive().default(60).describe('how long every host has to reach the rendezvous before the run is refused'),
    silenceTimeoutSeconds: z.number().positive().default(15).describe('a host silent this long is taken for dead and the run fails'),
  }).strict().prefault({}),
}).strict()

export type NativeOptions = z.output<typeof NativeOptionsSchema>
