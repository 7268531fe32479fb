// The long run of the socket engine's differential fuzzer (framing vs Node's parser):
//   node strangler-proxy/scripts/fuzz-framing.ts [--cases 100000] [--seed N]
// Prints the cases by outcome; exits 1 with the smallest disagreeing request if one is found.
import { parseArgs } from 'node:util';
import { fuzzFraming } from '../src/socket-engine/framing-fuzz.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string' } } });
const cases = Math.max(1, Math.min(10_000_000, Math.floor(Number(values.cases)) || 100_000));
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const started = Date.now();
try {
  const counts = await fuzzFraming({ cases, seed });
  console.log(`framing fuzz: ${cases} generated requests (seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s, no disagreement with Node's parser`);
  console.log(`  read the same by both: ${counts['same request']}; refused or incomplete for both: ${counts['both refused or incomplete']}; handed off to node:http: ${counts['handed off']}`);
} catch (e) {
  console.error(`framing fuzz: a disagreement (seed ${seed}):\n${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
