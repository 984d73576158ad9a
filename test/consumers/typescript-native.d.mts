export const TYPESCRIPT_NATIVE_RANGE: string;
export function installTypeScriptNative(): Promise<{ tsc: string; version: string }>;
