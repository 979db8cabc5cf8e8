/** Types of lib/disk-cache.js (plain JavaScript: the require hook loads it before it can compile TypeScript). */
export declare const CACHE_DIR_VARIABLE: string;
export declare function cacheRoot(): string;
export declare function digest(...parts: (string | Buffer)[]): string;
export declare function entryPath(namespace: string, key: string): string;
export declare function readEntry<T>(namespace: string, key: string): T | undefined;
export declare function writeEntry(namespace: string, key: string, value: unknown): void;
