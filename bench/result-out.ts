import { writeFile } from 'node:fs/promises';

/** A section's result: to BENCH_OUT when bench/run.ts asked for it there, else printed. */
export async function writeResult(result: unknown): Promise<void> {
  const out = process.env['BENCH_OUT'];
  const json = (indent?: number) => JSON.stringify(result, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), indent);
  if (out !== undefined) await writeFile(out, json());
  else process.stdout.write(`${json(2)}\n`);
}
