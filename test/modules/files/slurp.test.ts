import { slurpModule } from '../../../src/modules/files/slurp.js';
import { differentialSuite } from './differential.js';

differentialSuite('slurp', { slurp: slurpModule });
