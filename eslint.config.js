// One lint configuration for the whole repository, run by `npm test` (`npm run lint`).
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const importPlugin = require("eslint-plugin-import");
const comments = require("@eslint-community/eslint-plugin-eslint-comments/configs");

/**
 * The direction of dependency: each folder may import only the folders before it
 * (lib <- foundation <- platform <- workloads), the policy pack and the tooling meet only in
 * the neutral plan-model, and nothing imports the tests. A later layer reads an earlier one only
 * through that layer's contract file (`outputs.ts`).
 */
const LAYERS = ["lib", "foundation", "platform", "workloads"];
const EVERYTHING = ["bootstrap", "lib", "foundation", "platform", "workloads", "plan-model", "policy-pack", "automation", "test"];

function zone(target, allowed) {
    const from = EVERYTHING.filter((folder) => folder !== target && !allowed.includes(folder)).map((folder) => `./${folder}`);
    return {
        target: `./${target}`,
        from,
        message: `${target}/ must not import this folder (README.md, "Layout": lib <- foundation <- platform <- workloads; plan-model <- policy-pack <- automation)`,
    };
}

const boundaries = [
    zone("lib", []),
    zone("plan-model", []),
    zone("foundation", ["lib"]),
    zone("platform", ["lib", "foundation"]),
    {
        target: "./platform",
        from: "./foundation",
        except: ["./outputs.ts"],
        message: "platform/ reads foundation/ only through foundation/outputs.ts",
    },
    zone("workloads", ["lib", "foundation", "platform"]),
    {
        target: "./workloads",
        from: "./foundation",
        except: ["./outputs.ts"],
        message: "workloads/ reads foundation/ only through foundation/outputs.ts",
    },
    {
        target: "./workloads",
        from: "./platform",
        except: ["./outputs.ts"],
        message: "workloads/ reads platform/ only through platform/outputs.ts",
    },
    zone("bootstrap", ["lib"]),
    zone("policy-pack", ["lib", "plan-model"]),
    zone("automation", [...LAYERS, "bootstrap", "plan-model", "policy-pack"]),
];

module.exports = tseslint.config(
    { ignores: ["node_modules/**", "**/node_modules/**", "test/fixtures/**/node_modules/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    comments.recommended,
    {
        linterOptions: { reportUnusedDisableDirectives: "error" },
        files: ["**/*.ts", "**/*.js"],
        plugins: { import: importPlugin },
        languageOptions: { ecmaVersion: 2022, sourceType: "module" },
        settings: {
            "import/extensions": [".ts", ".js"],
            // Only our own modules can take part in a cycle: never parse dependencies.
            "import/ignore": ["node_modules"],
            "import/parsers": { "@typescript-eslint/parser": [".ts"] },
            "import/resolver": { node: { extensions: [".ts", ".js", ".json"] } },
        },
        rules: {
            "import/no-restricted-paths": ["error", { zones: boundaries }],
            "import/no-cycle": ["error", { ignoreExternal: true }],
            "@eslint-community/eslint-comments/require-description": "error",
            // A file-wide disable after the imports is fine when its reason covers the whole file.
            "@eslint-community/eslint-comments/disable-enable-pair": "off",
            // Prettier wraps code at 140; what it cannot wrap (comments) must fit too. Long messages
            // stay whole strings so they can be found with grep.
            "max-len": [
                "error",
                { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
            ],
        },
    },
    {
        files: ["**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" },
        },
        // CommonJS files (this config, the ts-node register hook) load modules with require.
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
            "@typescript-eslint/no-unused-expressions": "off",
            // Tests read untyped plan and mock JSON, and reload modules to prove caching.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-require-imports": "off",
        },
    },
);
