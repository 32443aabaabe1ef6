// Validates Kubernetes manifests (multi-document YAML) against the API schemas of kubernetes-models.
// Usage: node docker/validate-k8s.mjs docker/k8s/*.yaml — prints one JSON line per object, exits 1 on any error.
// A separate ES module because kubernetes-models is published as ES modules only.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseAllDocuments } from 'yaml';

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const object = doc.toJS();
    if (!object) continue;
    const { apiVersion, kind } = object;
    const name = object.metadata?.name;
    let error = null;
    try {
      const models = await import(`kubernetes-models/${apiVersion}`);
      const Model = models[kind];
      if (!Model) throw new Error(`unknown kind ${kind} in ${apiVersion}`);
      new Model(object).validate();
    } catch (problem) {
      error = problem instanceof Error ? problem.message : String(problem);
      failed = true;
    }
    process.stdout.write(`${JSON.stringify({ file, apiVersion, kind, name, error })}\n`);
  }
}
process.exit(failed ? 1 : 0);
