// Copies packages and everything they depend on (per package-lock.json) from ./node_modules into <target>/node_modules.
// The image's migrator needs the Prisma CLI and the database drivers, which the traced standalone server does not
// carry (the CLI is a devDependency); copying their closure, not all of node_modules, keeps Next.js and the UI out.
// Usage: node copy-package-closure.mjs <target> <package>...
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [target, ...roots] = process.argv.slice(2);
if (!target || roots.length === 0) {
  console.error("usage: node copy-package-closure.mjs <target> <package>...");
  process.exit(2);
}
const packages = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;

/** Node's lookup, over the lock's paths: node_modules/a/node_modules/b, then up the tree. */
function locate(from, name) {
  for (let base = from; ; ) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf("/node_modules/");
    base = parent < 0 ? "" : base.slice(0, parent);
  }
}

const copied = new Set();
const pending = roots.map((name) => {
  const found = locate("", name);
  if (!found) throw new Error(`${name} is not in package-lock.json`);
  return found;
});
while (pending.length > 0) {
  const lockPath = pending.pop();
  if (copied.has(lockPath)) continue;
  copied.add(lockPath);
  const entry = packages[lockPath];
  // Peers are left out: the ones the migrator needs are roots (pglite), the rest are typing or generator peers
  // (prisma's typescript, pglite-prisma-adapter's @prisma/client, 74 MB) that nothing loads at run time.
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
    const found = locate(lockPath, name);
    if (found) pending.push(found);
  }
}
let count = 0;
for (const lockPath of [...copied].sort()) {
  // Optional packages for other platforms (esbuild's, fsevents) are in the lock but not on disk.
  if (!existsSync(lockPath)) continue;
  cpSync(lockPath, path.join(target, lockPath), { recursive: true, dereference: true });
  count++;
}
console.log(`copied ${count} packages into ${path.join(target, "node_modules")}`);
