import {WireWriter, varintLength} from './protobuf-wire.js'

/**
 * The `tf.train.Example` DLIO's TFRecord generator serializes per record
 * (engines.md §1.5): features `image` (BytesList holding the d1·d2 uint8
 * image) and `size` (Int64List holding ⌊√record_length⌋). The image bytes are
 * streamed, so the example is split into the bytes before and after them.
 */
const WIRE_LENGTH_DELIMITED = 2
const IMAGE_KEY = Buffer.from('image')
const SIZE_KEY = Buffer.from('size')

function delimitedLength(contentLength: number): number {
  return 1 + varintLength(contentLength) + contentLength
}

function mapEntryLength(key: Buffer, featureLength: number): number {
  return delimitedLength(key.length) + delimitedLength(featureLength)
}

export interface ExampleFrame {
  /** bytes that precede the image payload */
  readonly prefix: Buffer
  /** bytes that follow it */
  readonly suffix: Buffer
  readonly imageBytes: number
  /** serialized example length: prefix + image + suffix */
  readonly length: number
}

export function exampleFrame(imageBytes: number, sizeValue: number): ExampleFrame {
  const bytesList = delimitedLength(imageBytes)
  const imageFeature = delimitedLength(bytesList)
  const imageEntry = mapEntryLength(IMAGE_KEY, imageFeature)
  const int64List = delimitedLength(varintLength(sizeValue))
  const sizeFeature = delimitedLength(int64List)
  const sizeEntry = mapEntryLength(SIZE_KEY, sizeFeature)
  const features = delimitedLength(imageEntry) + delimitedLength(sizeEntry)

  const prefix = new WireWriter()
    .tag(1, WIRE_LENGTH_DELIMITED).varint(features) // Example.features
    .tag(1, WIRE_LENGTH_DELIMITED).varint(imageEntry) // Features.feature map entry
    .tag(1, WIRE_LENGTH_DELIMITED).varint(IMAGE_KEY.length).raw(IMAGE_KEY)
    .tag(2, WIRE_LENGTH_DELIMITED).varint(imageFeature)
    .tag(1, WIRE_LENGTH_DELIMITED).varint(bytesList) // Feature.bytes_list
    .tag(1, WIRE_LENGTH_DELIMITED).varint(imageBytes) // BytesList.value
    .toBuffer()
  const suffix = new WireWriter()
    .tag(1, WIRE_LENGTH_DELIMITED).varint(sizeEntry)
    .tag(1, WIRE_LENGTH_DELIMITED).varint(SIZE_KEY.length).raw(SIZE_KEY)
    .tag(2, WIRE_LENGTH_DELIMITED).varint(sizeFeature)
    .tag(3, WIRE_LENGTH_DELIMITED).varint(int64List) // Feature.int64_list
    .tag(1, WIRE_LENGTH_DELIMITED).varint(varintLength(sizeValue)).varint(sizeValue) // packed Int64List.value
    .toBuffer()
  return {prefix, suffix, imageBytes, length: prefix.length + imageBytes + suffix.length}
}
