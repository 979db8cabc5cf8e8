import * as fs from "fs";
import * as path from "path";

import { UserError } from "../../lib/errors";

/** A file the command was told to write cannot be written: found before anything is changed. */
export class OutputPathError extends UserError {}

/**
 * Fails now, before an update or a plan, when `file` could not be written afterwards: a missing
 * directory, a directory where the file should be, no permission. `label` is the flag or variable
 * that named it.
 */
export function assertWritable(file: string, label: string): void {
    const resolved = path.resolve(file);
    const dir = path.dirname(resolved);
    let problem: string | undefined;
    if (!fs.existsSync(dir)) {
        problem = `the directory ${dir} does not exist: create it or name a file in an existing directory`;
    } else if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) {
        problem = `${resolved} is a directory: name a file`;
    } else {
        try {
            fs.accessSync(fs.existsSync(resolved) ? resolved : dir, fs.constants.W_OK);
        } catch {
            problem = `${fs.existsSync(resolved) ? resolved : dir} is not writable: fix its permissions or name another file`;
        }
    }
    if (problem !== undefined) {
        throw new OutputPathError(`${label} ${file} cannot be written (${problem}); nothing was run`);
    }
}
