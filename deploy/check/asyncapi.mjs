// Validates an AsyncAPI document with the official parser (@asyncapi/parser, pinned in package-lock.json):
//   node asyncapi.mjs <document.json|yaml>
// Prints every diagnostic ("severity path: message"; severity 0 is an error) and exits 1 if any is an error or the
// document could not be parsed.
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const file = process.argv[2];
const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(file, "utf8"));
let errors = 0;
for (const d of diagnostics) {
  if (d.severity === 0) errors++;
  console.log(`${d.severity} ${d.path.join("/")}: ${d.message}`);
}
if (!document) errors++;
console.error(`asyncapi: ${file}: ${document ? "parsed, AsyncAPI " + document.version() + ", " + document.channels().length + " channels, " + document.messages().length + " messages" : "not parsed"}; ${errors} error(s)`);
process.exit(errors ? 1 : 0);
