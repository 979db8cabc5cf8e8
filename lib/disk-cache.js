"use strict";
/**
 * A persistent, content-addressed cache shared by every process that runs the repository's code:
 * the TypeScript transpile cache of `automation/register.js` and the worker's Lambda bundle.
 * Plain JavaScript because the require hook loads it before it can compile TypeScript.
 *
 * Entries are keyed by a digest of everything that determines their value, so nothing is ever
 * invalidated in place: a changed input is a different key. Writes go to a temporary file that
 * is renamed over the entry, so concurrent processes see a whole entry or none; an entry whose
 * checksum does not match (truncated, edited, disk trouble) counts as missing and is rewritten.
 */
const { Buffer } = require("buffer");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** Set to a directory to keep the cache elsewhere (CI caches, read-only checkouts, benchmarks). */
const CACHE_DIR_VARIABLE = "PLAN_CACHE_DIR";
const DEFAULT_CACHE_DIR = path.resolve(__dirname, "..", "node_modules", ".cache", "payments-estate");

function cacheRoot() {
    return process.env[CACHE_DIR_VARIABLE] || DEFAULT_CACHE_DIR;
}

/** The hex SHA-256 of the parts, each length-prefixed so that no two part lists collide. */
function digest(...parts) {
    const hash = crypto.createHash("sha256");
    for (const part of parts) {
        const buffer = Buffer.isBuffer(part) ? part : Buffer.from(String(part), "utf8");
        hash.update(`${buffer.length}:`);
        hash.update(buffer);
    }
    return hash.digest("hex");
}

function entryPath(namespace, key) {
    return path.join(cacheRoot(), namespace, key.slice(0, 2), `${key}.json`);
}

/** The value stored under `key`, or undefined when there is none or it is damaged. */
function readEntry(namespace, key) {
    let text;
    try {
        text = fs.readFileSync(entryPath(namespace, key), "utf8");
    } catch {
        return undefined;
    }
    // Line 1: {"key","sha256"} of the body; the rest: the value as JSON.
    const newline = text.indexOf("\n");
    if (newline < 0) {
        return undefined;
    }
    try {
        const header = JSON.parse(text.slice(0, newline));
        const body = text.slice(newline + 1);
        if (header.key !== key || header.sha256 !== digest(body)) {
            return undefined;
        }
        return JSON.parse(body);
    } catch {
        return undefined;
    }
}

/** Stores `value` (JSON-serialisable) under `key`; a cache that cannot be written is only slower. */
function writeEntry(namespace, key, value) {
    const file = entryPath(namespace, key);
    const body = JSON.stringify(value);
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(temporary, `${JSON.stringify({ key, sha256: digest(body) })}\n${body}`);
        fs.renameSync(temporary, file);
    } catch {
        fs.rmSync(temporary, { force: true });
    }
}

module.exports = { CACHE_DIR_VARIABLE, cacheRoot, digest, entryPath, readEntry, writeEntry };
