import * as path from "path";
import { performance } from "perf_hooks";
require("@pulumi/aws");
import { environmentChain } from "./automation/plan/environments";
import { REPO_ROOT, StackRegistry, synthesizeStack } from "./automation/plan/plan";
import { evaluateStack } from "./policy-pack/offline";
import { estimatePlan } from "./automation/estimates";
async function main() {
  for (let round = 0; round < 2; round++) {
    const registry = new StackRegistry();
    const stacks: any[] = [];
    for (const t of environmentChain("pr-42")) {
      let t0 = performance.now();
      const r = await synthesizeStack(path.join(REPO_ROOT, t.project), t.stack, { stackFile: t.stackFile, registry });
      const synth = performance.now() - t0; t0 = performance.now();
      const stack = { project: r.project, stack: r.stack, resources: r.resources, outputs: r.outputs, violations: [] as any[] };
      stack.violations = evaluateStack(stack);
      const pol = performance.now() - t0;
      stacks.push(stack);
      console.log(round, t.project, t.stack, r.resources.length, "synth", synth.toFixed(0), "policy", pol.toFixed(0));
    }
    const t0 = performance.now(); estimatePlan({ env: "pr-42", stacks, summary: {} as any }); console.log("estimates", (performance.now() - t0).toFixed(0));
  }
}
main();
