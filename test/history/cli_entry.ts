// `fleet` from source for the history tests' subprocesses (two applies at once need two processes).
import { main } from '../../src/cli/main.js';

await main(process.argv);
