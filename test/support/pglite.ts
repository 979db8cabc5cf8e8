import { PGlite } from "@electric-sql/pglite";

/**
 * The data directory of a freshly initialised PGlite, taken once per test process: initdb in WASM
 * takes about 3 s, starting from a copy of its result about 1 s.
 */
let initialised: Promise<{ first: PGlite; dataDir: Blob }> | undefined;
let firstHandedOut = false;

/** A new, empty PostgreSQL database (PGlite) of its own: nothing another caller does reaches it. */
export async function emptyDatabase(): Promise<PGlite> {
    initialised ??= (async () => {
        const first = await PGlite.create();
        return { first, dataDir: await first.dumpDataDir("none") };
    })();
    const { first, dataDir } = await initialised;
    if (!firstHandedOut) {
        firstHandedOut = true;
        return first;
    }
    return PGlite.create({ loadDataDir: dataDir });
}
