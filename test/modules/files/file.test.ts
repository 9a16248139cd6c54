import { fileModule } from '../../../src/modules/files/file.js';
import { differentialSuite } from './differential.js';

differentialSuite('file', { file: fileModule });
