import { tempfileModule } from '../../../src/modules/files/tempfile.js';
import { differentialSuite } from './differential.js';

differentialSuite('tempfile', { tempfile: tempfileModule });
