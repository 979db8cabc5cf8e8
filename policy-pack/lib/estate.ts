import * as fs from "fs";
import * as path from "path";
import { LAYERS } from "../../lib/environments";
import { REPO_ROOT } from "../../lib/repository";

let cached: string[] | undefined;

/**
 * The estate's AWS accounts as its stack files name them (the management account, and every
 * account a stack deploys into or trusts by ARN). Member accounts the organization creates get
 * their ids at apply time; a stack sees those through its providers (see resource-access.ts).
 */
export function estateAccounts(): string[] {
    if (cached === undefined) {
        const files = [...LAYERS, "."].flatMap((dir) => {
            const folder = path.join(REPO_ROOT, dir);
            return fs.existsSync(folder)
                ? fs
                      .readdirSync(folder)
                      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
                      .map((f) => path.join(folder, f))
                : [];
        });
        const ids = files.flatMap((f) => {
            const text = fs.readFileSync(f, "utf8");
            return [...text.matchAll(/arn:aws:iam::(\d{12}):/g), ...text.matchAll(/[Aa]ccountId:\s*"?(\d{12})"?/g)].map((m) => m[1]);
        });
        cached = [...new Set(ids)].sort();
    }
    return cached;
}
