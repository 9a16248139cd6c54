import { replaceModule } from '../../../src/modules/files/replace.js';
import { differentialSuite } from './differential.js';

differentialSuite('replace', { replace: replaceModule });
