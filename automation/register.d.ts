/** Types of automation/register.js (plain JavaScript: it is what makes TypeScript loadable). */
import type { Options } from "@swc/core";

export declare const NAMESPACE: string;
export declare const OPTIONS: Readonly<Options>;
export declare function transpileKey(sourcefile: string, source: string, options?: Options, swcVersion?: string): string;
export declare function transpile(filename: string, source: string, options?: Options): string;
