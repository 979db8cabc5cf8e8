/** Types of automation/defer-sdk-tooling.js (plain JavaScript: the require hook loads it before TypeScript is loadable). */
export declare function deferSdkTooling(): void;
export declare function deferredModulePaths(): string[];
