/** Types of automation/register.js (plain JavaScript: it is what makes TypeScript loadable). */
export declare const NAMESPACE: string;
export declare const OPTIONS: Readonly<Record<string, string>>;
export declare function transpileKey(sourcefile: string, source: string, options?: object, esbuildVersion?: string): string;
export declare function transpile(filename: string, source: string, options?: object): string;
