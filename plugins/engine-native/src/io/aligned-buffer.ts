/** The alignment O_DIRECT asks of file offsets, lengths and memory: the largest logical block size in use (4 KiB). */
export const DIRECT_IO_ALIGNMENT = 4096

const WASM_PAGE_BYTES = 64 * 1024
/** The lib this project compiles against declares no WebAssembly; Node 20 has it. */
const {Memory} = (globalThis as unknown as {WebAssembly: {Memory: new (descriptor: {initial: number}) => {buffer: ArrayBuffer}}}).WebAssembly

/**
 * A buffer whose memory starts on a page boundary, as O_DIRECT needs. A
 * Buffer's own memory comes from malloc, 16 bytes past a page (the kernel
 * refuses it with EINVAL); a WebAssembly memory is mapped as whole pages.
 */
export function pageAlignedBuffer(bytes: number): Buffer {
  const memory = new Memory({initial: Math.ceil(bytes / WASM_PAGE_BYTES)})
  return Buffer.from(memory.buffer, 0, bytes)
}

export function alignDown(value: number, alignment = DIRECT_IO_ALIGNMENT): number {
  return value - (value % alignment)
}
