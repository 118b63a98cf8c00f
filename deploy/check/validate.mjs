// Validates Kubernetes objects offline, as a strict API server would before admitting them:
//   node validate.mjs <file.yaml>...     (multi-document YAML, e.g. `kustomize build` output)
// 1. the JSON schema of the object's apiVersion and kind (kubernetes-models: the Kubernetes API's OpenAPI schemas of
//    the pinned release; Strimzi's and the Prometheus Operator's CRD schemas): required fields, types, formats, enums;
// 2. unknown fields, which those schemas let through: every object, typed with its kind's generated interface, is
//    type-checked by the TypeScript compiler, whose excess-property check names each field the API does not know.
// Prints one line per problem ("file: Kind/name: problem") and exits 1 if there is any; an apiVersion/kind it has no
// schema for is a problem too.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  if (group.endsWith("strimzi.io")) return `@kubernetes-models/strimzi-kafka-operator/${apiVersion}/${kind}`;
  if (group === "") return `kubernetes-models/${version}/${kind}`;
  return `kubernetes-models/${group}/${version}/${kind}`;
}

const problems = [];
const typed = [];
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) {
      problems.push(`${file}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    const where = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
      problems.push(`${where}: no apiVersion or kind`);
      continue;
    }
    const path = modulePath(obj.apiVersion, obj.kind);
    let Model;
    try {
      Model = (await import(path))[obj.kind];
    } catch (e) {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      problems.push(`${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      problems.push(`${where}: ${e.message}`);
    }
    typed.push({ where, path, kind: obj.kind, obj });
  }
}

if (typed.length) {
  // Inside this folder, so that the models resolve from its node_modules.
  const dir = mkdtempSync(join(here, ".objects-"));
  const imports = typed.map((t, i) => `import type { I${t.kind} as T${i} } from "${t.path}";`);
  const lines = [...imports];
  const firstLine = [];
  typed.forEach((t, i) => {
    firstLine.push(lines.length);
    lines.push(...`export const o${i}: T${i} = ${JSON.stringify(t.obj, null, 1)};`.split("\n"));
  });
  const source = join(dir, "objects.ts");
  writeFileSync(source, lines.join("\n"));
  try {
    const program = ts.createProgram([source], {
      strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [],
    });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (!d.file || d.file.fileName !== source) {
        problems.push(`type check: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
        continue;
      }
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      let index = -1;
      firstLine.forEach((l, i) => { if (l <= line) index = i; });
      const where = index >= 0 ? typed[index].where : source;
      problems.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const p of problems) console.log(p);
console.error(`validate: ${typed.length} object(s) checked, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
