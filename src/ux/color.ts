/** ANSI colour for a terminal that wants it: never when piped, under NO_COLOR, or on a dumb terminal. */
export function paint(color: 'green' | 'red' | 'yellow', text: string, stream: NodeJS.WriteStream = process.stdout): string {
  if (!stream.isTTY || process.env.NO_COLOR !== undefined || process.env.TERM === 'dumb') return text
  const code = {green: 32, red: 31, yellow: 33}[color]
  return `\u001B[${code}m${text}\u001B[0m`
}
