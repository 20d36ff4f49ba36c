// CLI for the fake OpenAI server, for demos and manual testing:
//   node out/test/fake-openai/main.js [--port N] [--count N] [--seed N] [--key K]
// Prints the base URL alone on stdout's first line (easy to capture from scripts); the rest goes to stderr.

import { demoDataset, generateDataset } from './dataset';
import { DEFAULT_API_KEY, FakeOpenAI, maskKey } from './server';

interface CliOptions {
  port: number;
  count?: number;
  seed?: number;
  key: string;
}

const USAGE = 'usage: node out/test/fake-openai/main.js [--port N] [--count N] [--seed N] [--key K]';

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { port: 0, key: DEFAULT_API_KEY };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    const integer = (min: number, max: number): number => {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) throw new Error(`${flag} must be an integer in ${min}..${max}, got '${value}'`);
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = integer(0, 65535);
        break;
      case '--count':
        options.count = integer(0, 1_000_000);
        break;
      case '--seed':
        options.seed = integer(0, 0xffffffff);
        break;
      case '--key':
        if (value === '') throw new Error('--key must not be empty');
        options.key = value;
        break;
      default:
        throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  // Without --count: the ~250-batch demo account (with two large output files).
  const dataset = options.count === undefined ? demoDataset(undefined, options.seed) : generateDataset({ count: options.count, seed: options.seed ?? 1 });
  const server = await FakeOpenAI.start({ port: options.port, apiKey: options.key, batches: dataset.batches, files: dataset.files });
  console.log(server.baseUrl);
  // The default key is public test data; a key given with --key is shown masked, like the server does.
  const key = options.key === DEFAULT_API_KEY ? DEFAULT_API_KEY : `${maskKey(options.key)} (from --key)`;
  console.error(`Fake OpenAI API: ${server.batches.length} batches, ${server.files.size} files. API key: ${key}. Ctrl-C stops it.`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1); // a second Ctrl-C: do not wait for open downloads
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
