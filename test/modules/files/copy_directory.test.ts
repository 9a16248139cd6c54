import { copyModule } from '../../../src/modules/files/copy.js';
import { differentialSuite } from './differential.js';

differentialSuite('copy_directory', { copy_directory: copyModule });
