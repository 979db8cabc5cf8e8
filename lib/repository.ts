import * as path from "path";

/** The repository root: the layer folders and their stack files live below it. */
export const REPO_ROOT = path.resolve(__dirname, "..");
