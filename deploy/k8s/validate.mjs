// Validates every manifest in this folder against the Kubernetes (and KEDA) OpenAPI schemas, offline:
// kubernetes-models ships the schemas and checks required fields, types and unknown fields.
import { readFileSync, readdirSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const dir = new URL(".", import.meta.url).pathname;
const groups = {
  "apps/v1": "kubernetes-models/apps/v1",
  "v1": "kubernetes-models/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
};
let failures = 0, checked = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(dir + file, "utf8"))) {
    const manifest = doc.toJS();
    const where = `${file}: ${manifest.kind}/${manifest.metadata?.name}`;
    const module = groups[manifest.apiVersion];
    if (!module) { console.error(`${where}: no schema for ${manifest.apiVersion}`); failures++; continue; }
    const Kind = (await import(module))[manifest.kind];
    if (!Kind) { console.error(`${where}: unknown kind`); failures++; continue; }
    try { new Kind(manifest).validate(); checked++; console.log(`valid   ${where}`); }
    catch (e) { failures++; console.error(`INVALID ${where}: ${e.message}`); }
  }
}
console.log(`${checked} manifests valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
