/**
 * Imported first by `local/main.ts`, so it runs before any other module: on an older Node the
 * catalog refuses to start with one clear line instead of a stack trace (or, worse, running with
 * JSON that rounds 64-bit snapshot ids). `npm start` never gets here on an older Node: `npm ci`
 * installs Node 24 into node_modules/.bin, which npm puts first on PATH.
 */
export const REQUIRED_NODE_MAJOR = 24;

export function nodeVersionProblem(version: string = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `The catalog needs Node.js >= ${REQUIRED_NODE_MAJOR} (this is v${version}): older versions round 64-bit ` +
    `snapshot ids in JSON, and Node 22's V8 aborts under hostile input. Start it with \`npm start\` ` +
    `after \`npm ci\` (which brings Node ${REQUIRED_NODE_MAJOR} in node_modules/.bin), or install Node ${REQUIRED_NODE_MAJOR}.`
  );
}

const problem = nodeVersionProblem();
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
