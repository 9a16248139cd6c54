import { assembleModule } from '../../../src/modules/files/assemble.js';
import { differentialSuite } from './differential.js';

differentialSuite('assemble', { assemble: assembleModule });
