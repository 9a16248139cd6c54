// The CLI run from source (tsx), for tests that need `fleet` as a program: see fleet_cli.ts.
import { main } from '../../src/cli/main.js';

await main(process.argv);
