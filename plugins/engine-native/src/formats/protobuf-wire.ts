/** Just enough protobuf wire format to build a `tf.train.Example` around a bytes payload. */
export function varintLength(value: number): number {
  let length = 1
  while (value >= 0x80) {
    value = Math.floor(value / 0x80)
    length++
  }
  return length
}

export class WireWriter {
  private readonly bytes: number[] = []

  tag(field: number, wireType: 0 | 2): this {
    return this.varint(field * 8 + wireType)
  }

  varint(value: number): this {
    while (value >= 0x80) {
      this.bytes.push((value % 0x80) | 0x80)
      value = Math.floor(value / 0x80)
    }
    this.bytes.push(value)
    return this
  }

  raw(bytes: Uint8Array): this {
    for (const byte of bytes) this.bytes.push(byte)
    return this
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes)
  }
}
