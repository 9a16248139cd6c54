import { lineinfileModule } from '../../../src/modules/files/lineinfile.js';
import { differentialSuite } from './differential.js';

differentialSuite('lineinfile', { lineinfile: lineinfileModule });
