import { templateModule } from '../../../src/modules/files/template.js';
import { differentialSuite } from './differential.js';

differentialSuite('template', { template: templateModule });
