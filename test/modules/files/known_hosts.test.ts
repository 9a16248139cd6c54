import { knownHostsModule } from '../../../src/modules/files/known_hosts.js';
import { differentialSuite } from './differential.js';

differentialSuite('known_hosts', { known_hosts: knownHostsModule });
