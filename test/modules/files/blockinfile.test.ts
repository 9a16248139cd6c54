import { blockinfileModule } from '../../../src/modules/files/blockinfile.js';
import { differentialSuite } from './differential.js';

differentialSuite('blockinfile', { blockinfile: blockinfileModule });
