// `fleet` from source, for the audit tests that run the command itself (exit code, stdout).
import { main } from '../../src/cli/main.js';

await main(process.argv);
