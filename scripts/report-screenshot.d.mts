/** Types for report-screenshot.mjs (a plain script so it runs without a build). */
export declare const CHROMIUM: string
export declare function openInChromium(file: string, options?: {screenshot?: boolean; width?: number; height?: number; timeoutMs?: number}): Promise<{errors: string[]; screenshot?: Buffer}>
